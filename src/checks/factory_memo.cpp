// FactoryMemo (factory_memo.hpp): a locked map; a lookup is far cheaper than
// the compile it saves, and two threads racing to remember one key keep the first.

#include "sotcheck/checks/factory_memo.hpp"

#include <utility>

namespace sotcheck::checks {

std::shared_ptr<const FileQuery> FactoryMemo::query(const std::string& key) const {
  const std::lock_guard lock(m_mutex);
  const auto it = m_queries.find(key);
  return it == m_queries.end() ? nullptr : it->second;
}

void FactoryMemo::remember_query(const std::string& key, std::shared_ptr<const FileQuery> query) {
  const std::lock_guard lock(m_mutex);
  m_queries.emplace(key, std::move(query));
}

}  // namespace sotcheck::checks
