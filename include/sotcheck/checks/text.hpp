#pragma once
/// The text layer the content primitives share, in one include: reading a
/// file as text (text_read.hpp, text_decoding.hpp), literal search
/// (literal_search.hpp), TextPredicate (text_predicate.hpp), Quantifier and
/// Ratio (quantifier.hpp) and a check's constants (check_constants.hpp).
/// Code that needs one of them includes that header alone.

#include "sotcheck/checks/check_constants.hpp"
#include "sotcheck/checks/literal_search.hpp"
#include "sotcheck/checks/quantifier.hpp"
#include "sotcheck/checks/text_decoding.hpp"
#include "sotcheck/checks/text_predicate.hpp"
#include "sotcheck/checks/text_read.hpp"
