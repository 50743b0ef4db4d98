#pragma once
/// What the check factories of one catalog load build once and share between
/// rules. Rules repeat the same file queries (185 rules read the SoT contract
/// through one query; most chart rules ask for the same charts), and compiling
/// a query's globs was the largest part of building a rule's check. A query
/// whose parameters (ParamNode fingerprint) equal one already parsed without a
/// problem, under the same profile, is that query: FileQuery is immutable, so
/// sharing it changes no verdict. One memo per profile of a load
/// (ProfileContext::memo); safe to use from several threads (a compiled
/// catalog builds rules on whichever thread first asks).

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sotcheck::checks {

class FileQuery;

class FactoryMemo {
 public:
  /// The query remembered under `key`, or null.
  std::shared_ptr<const FileQuery> query(const std::string& key) const;
  void remember_query(const std::string& key, std::shared_ptr<const FileQuery> query);

 private:
  mutable std::mutex m_mutex;
  std::unordered_map<std::string, std::shared_ptr<const FileQuery>> m_queries;
};

}  // namespace sotcheck::checks
