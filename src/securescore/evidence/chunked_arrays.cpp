#include "securescore/evidence/chunked_arrays.h"

#include <cstring>

namespace securescore::evidence {
namespace {

// The placeholder string, unescaped. It is written into the skeleton as "\u0001securescore-…"
// (a raw control character would not be valid JSON).
constexpr std::string_view kPlaceholderPrefix = "\x01securescore-chunked-array:";
constexpr std::string_view kPlaceholderJsonPrefix = "\\u0001securescore-chunked-array:";

struct Frame {
  bool is_array = false;
  std::size_t begin = 0;
  std::size_t last_cut = 0;
  std::string_view name;  // the key this container is the value of ("" in arrays / at root)
  std::string_view key;   // objects: the key most recently read
  std::vector<std::size_t> cuts;
};

}  // namespace

std::optional<Skeleton> Skeleton::Build(
    std::string_view text, std::size_t min_bytes, std::size_t chunk_bytes,
    const std::function<bool(std::string_view, std::string_view)>& wanted) {
  // Invalid UTF-8 is reported for the whole document before anything is read; pieces would
  // find it late, after other errors. Let the one-pass parse report it (this check is SIMD).
  if (!simdjson::validate_utf8(text.data(), text.size())) return std::nullopt;
  constexpr std::size_t kMaxDepth = 1024;  // simdjson's limit; deeper input fails anyway
  std::vector<Frame> stack;
  std::vector<ChunkedArray> found;
  std::string_view last_string;
  const char* data = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    char c = data[i];
    switch (c) {
      case '"': {
        // Strings are most of the bytes: jump from quote to quote.
        std::size_t start = i + 1;
        std::size_t j = start;
        while (true) {
          const void* q = std::memchr(data + j, '"', n - j);
          if (!q) return std::nullopt;  // unclosed string
          j = static_cast<std::size_t>(static_cast<const char*>(q) - data);
          std::size_t backslashes = 0;
          while (j - backslashes > start && data[j - backslashes - 1] == '\\') ++backslashes;
          if (backslashes % 2 == 0) break;
          ++j;
        }
        last_string = text.substr(start, j - start);
        i = j + 1;
        continue;
      }
      case ':':
        if (stack.empty() || stack.back().is_array) return std::nullopt;
        stack.back().key = last_string;
        break;
      case '{':
      case '[': {
        if (stack.size() >= kMaxDepth) return std::nullopt;
        Frame frame;
        frame.is_array = c == '[';
        frame.begin = i;
        frame.last_cut = i;
        if (!stack.empty() && !stack.back().is_array) frame.name = stack.back().key;
        stack.push_back(std::move(frame));
        break;
      }
      case '}':
      case ']': {
        if (stack.empty() || stack.back().is_array != (c == ']')) return std::nullopt;
        Frame& frame = stack.back();
        // /sources/<source>/<key>: root, sources, source, then this array.
        if (frame.is_array && stack.size() == 4 && i + 1 - frame.begin >= min_bytes &&
            stack[1].name == "sources" && wanted(stack[2].name, frame.name)) {
          found.push_back(ChunkedArray{frame.begin, i + 1, std::move(frame.cuts)});
        }
        stack.pop_back();
        break;
      }
      case ',': {
        if (stack.size() == 4 && stack.back().is_array &&
            i - stack.back().last_cut >= chunk_bytes) {
          stack.back().cuts.push_back(i);
          stack.back().last_cut = i;
        }
        break;
      }
      default: break;
    }
    ++i;
  }
  if (!stack.empty() || found.empty()) return std::nullopt;

  Skeleton skeleton;
  std::string out;
  std::size_t copied = 0;
  for (std::size_t k = 0; k < found.size(); ++k) {
    out.append(text.substr(copied, found[k].begin - copied));
    std::string placeholder = "\"" + std::string(kPlaceholderJsonPrefix) + std::to_string(k) + "\"";
    skeleton.placeholder_at_.push_back(out.size());
    skeleton.placeholder_size_.push_back(placeholder.size());
    out += placeholder;
    copied = found[k].end;
  }
  out.append(text.substr(copied));
  skeleton.text_ = simdjson::padded_string(out);
  skeleton.arrays_ = std::move(found);
  return skeleton;
}

const ChunkedArray* Skeleton::ArrayFor(std::string_view placeholder) const {
  if (placeholder.substr(0, kPlaceholderPrefix.size()) != kPlaceholderPrefix) return nullptr;
  std::string_view digits = placeholder.substr(kPlaceholderPrefix.size());
  std::size_t index = 0;
  if (digits.empty() || digits.size() > 9) return nullptr;
  for (char d : digits) {
    if (d < '0' || d > '9') return nullptr;
    index = index * 10 + static_cast<std::size_t>(d - '0');
  }
  return index < arrays_.size() ? &arrays_[index] : nullptr;
}

std::size_t Skeleton::ToOriginal(std::size_t offset) const {
  std::size_t shift = 0;  // original bytes minus skeleton bytes before `offset`
  for (std::size_t k = 0; k < arrays_.size(); ++k) {
    std::size_t at = placeholder_at_[k];
    if (offset < at) break;
    if (offset < at + placeholder_size_[k]) return arrays_[k].begin;  // inside the placeholder
    shift += (arrays_[k].end - arrays_[k].begin) - placeholder_size_[k];
  }
  return offset + shift;
}

}  // namespace securescore::evidence
