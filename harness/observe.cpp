#include "observe.h"

#include <string.h>
#include <unistd.h>

namespace xdplab {

json errno_of(int ret)
{
	if (ret >= 0)
		return 0;
	const char *name = strerrorname_np(-ret);
	return name ? json(name) : json(-ret);
}

int errno_number(const json &name)
{
	if (name.is_number_integer())
		return name.get<int>();
	for (int e = 1; e < 4096; ++e)
		if (const char *n = strerrorname_np(e); n && name == n)
			return e;
	return -1;
}

OwnedFd::~OwnedFd()
{
	if (fd_ >= 0)
		close(fd_);
}

} // namespace xdplab
