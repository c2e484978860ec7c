// Reads the run's tracefs instance in the background, so that subtests
// running side by side each find their own lines in one shared record
// (attribution.h decides which are whose).
#pragma once
#include "tracefs.h"

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace xdplab {

class TraceCollector {
public:
	explicit TraceCollector(TraceInstance &instance);
	~TraceCollector();
	TraceCollector(const TraceCollector &) = delete;
	TraceCollector &operator=(const TraceCollector &) = delete;

	// Records that arrived after `cursor`; advances it. A subtest starts with
	// cursor() taken before its first frame, so earlier lines are never its own.
	std::vector<TraceRecord> since(size_t &cursor);
	size_t cursor();
	bool has_event(const std::string &sys_event) const { return instance_.has_event(sys_event); }
	// Events the kernel could not put in the buffer so far (overruns, drops).
	unsigned long long lost_events();

private:
	void read_now();
	TraceInstance &instance_;
	std::mutex mu_;
	std::vector<TraceRecord> records_;
	std::atomic<bool> stop_{false};
	std::thread reader_;
};

} // namespace xdplab
