#pragma once
/// Evaluating one rule on an image: the step every executor runs per rule.
/// Apart from verdict.hpp so that code that only carries or prints verdicts
/// (reports, the channel) does not see the image.

#include "sotcheck/catalog/model.hpp"
#include "sotcheck/checks/check.hpp"
#include "sotcheck/checks/check_caches.hpp"
#include "sotcheck/exec/verdict.hpp"
#include "sotcheck/snapshot/image_view.hpp"

namespace sotcheck::exec {

/// Evaluates one rule under a profile: runs its check, renders message and
/// evidence. Never throws: an exception inside a check becomes an ERROR verdict
/// with its text, so one broken rule never costs the run. `caches` are the
/// run's (check_caches.hpp): whoever evaluates a run's rules on `image` owns
/// one and passes it to every call; null shares nothing between rules.
Verdict evaluate_rule(const catalog::Rule& rule, checks::Profile profile, const snapshot::ImageView& image,
                      checks::CheckCaches* caches = nullptr);

}  // namespace sotcheck::exec
