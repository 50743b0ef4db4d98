#pragma once
// What a worker child does to itself before it serves rules or execs the
// worker program, whichever way it was started: nothing of the parent's
// signal handling or descriptors carries over. Private to src/exec. Both are
// called between fork and exec/serve, so they use only system calls.

namespace sotcheck::exec {

/// Every signal at its default disposition, none blocked: the parent's
/// interrupt handler, ignored signals and mask must not decide how a worker
/// dies (a crash has to end it with its signal, for the parent to classify).
void reset_signal_state();

/// Closes every descriptor from `lowest` up.
void close_descriptors_from(int lowest);

}  // namespace sotcheck::exec
