#include "plan.h"

namespace xdplab {

std::string to_string(Peer p)
{
	switch (p) {
	case Peer::None: return "none";
	case Peer::Xdp: return "xdp";
	case Peer::Gro: return "gro";
	}
	return "?";
}

std::string to_string(Devmap d)
{
	return d == Devmap::Hash ? "tx_hash" : "tx_array";
}

Key Key::ifindex(std::string role)
{
	Key k;
	k.ifindex_of = std::move(role);
	return k;
}

std::string Key::str() const
{
	return ifindex_of.empty() ? std::to_string(value) : "ifindex of " + ifindex_of;
}

} // namespace xdplab
