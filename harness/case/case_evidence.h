// The evidence of one case subtest as a JSON document: what the observations
// (jq) read, and the summary the results file keeps. README ("Evidence")
// lists its members; `--evidence DIR` writes the whole document.
#pragma once
#include "../accounting.h"
#include "case_lab.h"

namespace xdplab {

// Everything: links, receivers, events (with their index in arrival order),
// received frames and delivered counts, tracepoints (fields parsed), the
// tagged frames' accounting, and what the run recorded (load, attach,
// map_updates, steps, maps, globals, xdp_features).
json evidence_document(const CaseLab &lab, const Accounting &tagged);

// The same, with the per-frame lists cut down to counts and first examples.
json evidence_summary(const CaseLab &lab, const Accounting &tagged, const json &document);

// A tracepoint line's fields as JSON: numbers where they are numbers.
json tracepoint_json(const TraceRecord &t);

} // namespace xdplab
