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
	switch (d) {
	case Devmap::Array: return "tx_array";
	case Devmap::Hash: return "tx_hash";
	case Devmap::Group: return "tx_group";
	}
	return "?";
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
