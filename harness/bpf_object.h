// One BPF object of a program family (bpf/<family>.bpf.c), through its libbpf
// skeleton: opened, given the run's identity and the family's .rodata, handed
// the subtest's event ring buffer, loaded; destroyed with the object. Every
// family uses this one wrapper.
#pragma once
#include "event_stream.h"
#include "libbpf_log.h"

#include <bpf/libbpf.h>

#include <cstring>
#include <stdexcept>
#include <string>

namespace xdplab {

// A refused load: the errno and libbpf's / the verifier's own words.
class BpfLoadError : public std::runtime_error {
public:
	BpfLoadError(const std::string &object, int err, const std::string &log)
		: std::runtime_error("cannot load BPF object " + object + " (" + strerror(err) + "): " + log),
		  err(err), log(log)
	{
	}
	int err;         // positive errno
	std::string log; // libbpf's messages, the verifier log among them
};

unsigned prog_id_of(int prog_fd);

// Loads only `program` of an object (call from a BpfObject's configure step):
// for families whose other programs are refused on purpose and would take
// the whole object down with them.
inline void load_only_program(bpf_object *obj, const std::string &program)
{
	bpf_program *p;
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, program == bpf_program__name(p));
}
unsigned map_id_of(int map_fd);

template <class Skel> class BpfObject {
public:
	// `configure(Skel &)` runs between open and load: .rodata, map sizes.
	template <class Configure>
	BpfObject(const char *family, const EventStream &events, const xdplab_ident &ident, Configure &&configure)
	{
		LibbpfLogCapture log;
		skel_ = Skel::open();
		if (!skel_)
			throw BpfLoadError(family, errno ? errno : EINVAL, log.text());
		skel_->rodata->ident = ident;
		int err = bpf_map__reuse_fd(skel_->maps.events, events.map_fd());
		if (!err) {
			configure(*skel_);
			err = Skel::load(skel_);
		}
		if (err) {
			std::string text = log.text();
			Skel::destroy(skel_);
			skel_ = nullptr;
			throw BpfLoadError(family, -err, text);
		}
	}
	~BpfObject()
	{
		if (skel_)
			Skel::destroy(skel_);
	}
	BpfObject(const BpfObject &) = delete;
	BpfObject &operator=(const BpfObject &) = delete;

	Skel *operator->() const { return skel_; }
	Skel &operator*() const { return *skel_; }
	// Events the programs could not reserve in the ring buffer.
	unsigned long long ringbuf_drops() const { return skel_->bss->ringbuf_drops; }

private:
	Skel *skel_ = nullptr;
};

} // namespace xdplab
