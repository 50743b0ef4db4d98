#pragma once
/// How many threads the image build reads, scans and parses files on (the
/// calling thread included). validate sets it from --workers, so the whole
/// run scales with the machine alike; 0, the default, means one per usable
/// CPU (the process's affinity mask). A process-wide setting rather than a
/// BuildOptions field so that this knob does not recompile every user of the
/// image header.

namespace sotcheck::snapshot {

void set_build_threads(unsigned threads);
/// The count the next build uses: the setting, or the usable CPUs when it is 0.
unsigned build_threads();

}  // namespace sotcheck::snapshot
