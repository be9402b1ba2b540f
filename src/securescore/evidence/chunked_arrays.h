// Chunked streaming of the few huge arrays of a big snapshot (users, registration details,
// devices, groups). simdjson On-Demand indexes a whole document before reading it: about half
// a byte of index per byte of input, which for a 1.5 GB snapshot alone would exceed the memory
// budget of DESIGN §7. So a quick scan first finds those arrays and cuts them between elements
// every few megabytes; the loader then parses a *skeleton* (the document with each such array
// replaced by a placeholder string) and, when an adapter reaches a placeholder, parses the
// array piece by piece with a small reused parser.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace securescore::evidence {

struct ChunkedArray {
  std::size_t begin = 0;          // offset of '[' in the original text
  std::size_t end = 0;            // offset just past ']'
  std::vector<std::size_t> cuts;  // offsets of the element-separating commas to cut at
};

class Skeleton {
 public:
  // Scans `text` for arrays at /sources/<source>/<key> of at least `min_bytes` for which
  // `wanted(source, key)` holds (keys raw, as written) and cuts them about every `chunk_bytes`.
  // Returns nullopt when there is nothing worth chunking or the text is not well-formed enough
  // to scan (the normal parse then reports the problem).
  static std::optional<Skeleton> Build(
      std::string_view text, std::size_t min_bytes, std::size_t chunk_bytes,
      const std::function<bool(std::string_view source, std::string_view key)>& wanted);

  // The document with each chunked array replaced by a placeholder, padded for simdjson.
  const simdjson::padded_string& text() const { return text_; }
  const std::vector<ChunkedArray>& arrays() const { return arrays_; }

  // The chunked array a placeholder string stands for, or nullptr.
  const ChunkedArray* ArrayFor(std::string_view placeholder) const;

  // Offset in the original text of an offset in the skeleton text.
  std::size_t ToOriginal(std::size_t skeleton_offset) const;

 private:
  simdjson::padded_string text_;
  std::vector<ChunkedArray> arrays_;
  // Per array: where its placeholder starts in the skeleton, and how long the placeholder is.
  std::vector<std::size_t> placeholder_at_;
  std::vector<std::size_t> placeholder_size_;
};

}  // namespace securescore::evidence
