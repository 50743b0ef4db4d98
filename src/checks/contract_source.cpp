// The SoT contract's selection and load (contract_source.hpp).

#include "contract_source.hpp"

#include "sotcheck/checks/check_caches.hpp"
#include "sotcheck/snapshot/access_journal.hpp"
#include "sotcheck/util/strings.hpp"
#include "yaml_document.hpp"

namespace sotcheck::checks {

ContractResolution ContractSource::resolve(const EvalContext& context) const {
  const auto computed = [&] {
    const snapshot::AccessJournal journal;
    ContractResolution r = compute(context.image);
    r.unreadable = journal.touched();
    return r;
  };
  ContractResolution r = context.caches != nullptr ? context.caches->contract_resolution(key, computed) : computed();
  for (const std::uint32_t entry : r.unreadable) snapshot::note_if_unreadable(context.image, entry);
  return r;
}

ContractResolution ContractSource::compute(const snapshot::ImageView& image) const {
  ContractResolution r;
  std::optional<std::uint32_t> pick;
  auto lower_name = [&](std::uint32_t e) { return util::to_lower_ascii(image.name(e)); };
  const auto exact = strict_selection ? image.lookup(0, exact_path) : std::nullopt;
  // The search runs only when its result is used, so an unreadable folder elsewhere in the tree does not
  // count against a strict contract found at its exact path (access_journal.hpp).
  const std::vector<std::uint32_t> candidates =
      exact && image.is_file_following_links(*exact) ? std::vector<std::uint32_t>{} : query->run(image).found;
  if (strict_selection) {
    // Strict (docs/reference-compatibility.md#rc-21): exactly the master definition's file, else the sorted-first name match, else nothing.
    if (exact && image.is_file_following_links(*exact)) {
      pick = *exact;
    } else {
      for (const std::uint32_t e : candidates)
        if (lower_name(e).find(prefer) != std::string::npos && (!pick || image.path(e) < image.path(*pick))) pick = e;
    }
  } else {
    // Reference: the first name match, else the first non-OpenAPI file, else the first file (walk order).
    for (const std::uint32_t e : candidates)
      if (!pick && lower_name(e).find(prefer) != std::string::npos) pick = e;
    if (!avoid.empty())
      for (const std::uint32_t e : candidates)
        if (!pick && lower_name(e).find(avoid) == std::string::npos) pick = e;
    if (!pick && !candidates.empty()) pick = candidates.front();
  }
  if (!pick) return r;
  r.file = std::string(image.root_path()) + "/" + std::string(image.path(*pick));
  r.relative = std::string(image.path(*pick));
  const Loaded doc = load_document(image, *pick);
  if (doc.view == nullptr) {
    r.state = ContractResolution::State::load_error;
    r.error = doc.error;
    return r;
  }
  r.state = ContractResolution::State::ok;
  r.view = *doc.view;
  return r;
}

}  // namespace sotcheck::checks
