// Small helpers the procedure experiments share for turning what they did
// into observations.
#pragma once
#include "experiment.h"

#include <string>

namespace xdplab {

// 0 for success (ret >= 0), else the errno's symbolic name ("ENOENT"): names
// read better in a report than numbers, and do not depend on the architecture.
json errno_of(int ret);
// The other way round: 0 for 0, the number for an errno's name (observations
// that have always been numbers stay numbers).
int errno_number(const json &name);

// A file descriptor a procedure made (a map, a program), closed with the object.
class OwnedFd {
public:
	explicit OwnedFd(int fd) : fd_(fd) {}
	~OwnedFd();
	OwnedFd(const OwnedFd &) = delete;
	OwnedFd &operator=(const OwnedFd &) = delete;
	int get() const { return fd_; }

private:
	int fd_;
};

} // namespace xdplab
