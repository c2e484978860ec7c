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

OwnedFd::~OwnedFd()
{
	if (fd_ >= 0)
		close(fd_);
}

} // namespace xdplab
