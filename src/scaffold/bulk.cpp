// Bulk data: the JSON/JSONL fixtures that give the large tree its byte volume. Generated while writing,
// straight into the write buffer, at memcpy-like speed (no printf), and exactly `bulk_size` bytes long.
//
// The records look like audit/attestation events (ids, digests, scores, timestamps) and contain nothing any
// rule looks for: no '=' at all (CP011's assignments), no credential words, no personal data.

#include <array>
#include <charconv>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "plan.hpp"

namespace sotcheck::scaffold::detail {

namespace {

constexpr std::array<std::string_view, 8> k_event_types = {
    "attestation.issued",  "attestation.revoked",  "proof.verified",      "score.updated",
    "anchor.batch_sealed", "credential.presented", "session.established", "consent.recorded"};
constexpr std::array<std::string_view, 4> k_regions = {"eu-central-1", "eu-west-1", "eu-north-1", "eu-south-1"};
constexpr std::array<std::string_view, 4> k_outcomes = {"accepted", "accepted", "rejected", "deferred"};

// Longest record append_event can produce, with margin; the closing record must always fit after it.
constexpr std::size_t k_max_record = 400;

void append_number(std::string& out, std::uint64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

void append_padded(std::string& out, std::uint64_t value, int width) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  for (auto digits = result.ptr - buffer; digits < width; ++digits) out += '0';
  out.append(buffer, result.ptr);
}

void append_hex(std::string& out, Rng& rng, int words) {
  static constexpr char k_hex[] = "0123456789abcdef";
  for (int w = 0; w < words; ++w) {
    std::uint64_t v = rng.next();
    for (int i = 0; i < 16; ++i, v >>= 4) out += k_hex[v & 15];
  }
}

// One event record, no trailing newline.
void append_event(std::string& out, Rng& rng, std::uint64_t sequence) {
  out += R"({"seq": )";
  append_number(out, sequence);
  out += R"(, "ts": "2025-)";
  append_padded(out, 1 + rng.below(12), 2);
  out += '-';
  append_padded(out, 1 + rng.below(28), 2);
  out += 'T';
  append_padded(out, rng.below(24), 2);
  out += ':';
  append_padded(out, rng.below(60), 2);
  out += ':';
  append_padded(out, rng.below(60), 2);
  out += R"(Z", "type": ")";
  out += rng.pick(k_event_types);
  out += R"(", "tenant": "t-)";
  append_padded(out, rng.below(500), 4);
  out += R"(", "region": ")";
  out += rng.pick(k_regions);
  out += R"(", "subject_digest": ")";
  append_hex(out, rng, 4);
  out += R"(", "score": 0.)";
  append_padded(out, rng.below(1000), 3);
  out += R"(, "latency_ms": )";
  append_number(out, 3 + rng.below(400));
  out += R"(, "outcome": ")";
  out += rng.pick(k_outcomes);
  out += R"("})";
}

// The last record: `prefix` + n filler characters + `suffix`, exactly `remaining` bytes in all.
void append_closing(std::string& out, std::size_t remaining, std::string_view prefix, std::string_view suffix) {
  if (remaining < prefix.size() + suffix.size()) throw std::logic_error("scaffold: bulk closing record too small");
  out += prefix;
  out.append(remaining - prefix.size() - suffix.size(), '.');
  out += suffix;
}

}  // namespace

void append_bulk_content(const PlannedFile& file, std::string& out) {
  Rng rng(file.bulk_seed);
  const std::size_t start = out.size();
  const auto written = [&] { return out.size() - start; };
  const std::size_t size = file.bulk_size;
  std::uint64_t sequence = rng.below(1'000'000);
  if (file.bulk == BulkKind::jsonl_events) {
    while (size - written() > 2 * k_max_record) {
      append_event(out, rng, ++sequence);
      out += '\n';
    }
    append_closing(out, size - written(), R"({"seq": 0, "type": "segment.end", "filler": ")", "\"}\n");
  } else {
    out += R"({"fixture": "events", "schema_version": "1.0.0", "records": [)";
    out += '\n';
    while (size - written() > 2 * k_max_record) {
      out += "  ";
      append_event(out, rng, ++sequence);
      out += ",\n";
    }
    append_closing(out, size - written(), R"(  {"type": "segment.end", "filler": ")", "\"}\n]}\n");
  }
}

}  // namespace sotcheck::scaffold::detail
