#include "trace_collector.h"

#include <chrono>

namespace xdplab {

TraceCollector::TraceCollector(TraceInstance &instance) : instance_(instance)
{
	reader_ = std::thread([this] {
		while (!stop_) {
			read_now();
			std::this_thread::sleep_for(std::chrono::milliseconds(2));
		}
	});
}

TraceCollector::~TraceCollector()
{
	stop_ = true;
	reader_.join();
}

void TraceCollector::read_now()
{
	std::lock_guard<std::mutex> lock(mu_);
	auto fresh = instance_.drain();
	records_.insert(records_.end(), std::make_move_iterator(fresh.begin()), std::make_move_iterator(fresh.end()));
}

std::vector<TraceRecord> TraceCollector::since(size_t &cursor)
{
	read_now(); // whatever the kernel wrote up to now, not up to the last poll
	std::lock_guard<std::mutex> lock(mu_);
	std::vector<TraceRecord> out(records_.begin() + static_cast<long>(std::min(cursor, records_.size())),
				     records_.end());
	cursor = records_.size();
	return out;
}

size_t TraceCollector::cursor()
{
	read_now();
	std::lock_guard<std::mutex> lock(mu_);
	return records_.size();
}

unsigned long long TraceCollector::lost_events()
{
	std::lock_guard<std::mutex> lock(mu_);
	return instance_.lost_events();
}

} // namespace xdplab
