#include "securescore/store/codec.h"

#include <openssl/evp.h>
#include <zstd.h>

#include <array>
#include <string>

namespace securescore::store {
namespace {

// zstd's default level: snapshots compress ~10× at a few hundred MB/s, which keeps fleet ingest
// bound by evaluation rather than by storage.
constexpr int kZstdLevel = 3;

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

std::string ZstdCompress(std::string_view bytes) {
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  const std::size_t n =
      ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), kZstdLevel);
  // Compression into a buffer of ZSTD_compressBound bytes cannot fail.
  out.resize(ZSTD_isError(n) != 0U ? 0 : n);
  return out;
}

Result<std::string> ZstdDecompress(std::string_view compressed) {
  const unsigned long long size = ZSTD_getFrameContentSize(compressed.data(), compressed.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    return Error{ErrorCode::kIo, "stored snapshot is not a complete zstd frame", ""};
  }
  std::string out(size, '\0');
  const std::size_t n =
      ZSTD_decompress(out.data(), out.size(), compressed.data(), compressed.size());
  if (ZSTD_isError(n) != 0U || n != size) {
    return Error{ErrorCode::kIo,
                 std::string("stored snapshot does not decompress: ") + ZSTD_getErrorName(n), ""};
  }
  return out;
}

}  // namespace securescore::store

namespace securescore::store {
namespace {

// Packed entity lists start with one byte saying how the rest is stored.
constexpr char kPackedRaw = 'r';
constexpr char kPackedZstd = 'z';
// Below this many bytes zstd's frame overhead outweighs what it saves.
constexpr std::size_t kCompressAbove = 256;

void PutVarint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

bool GetVarint(std::string_view& in, std::uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

bool GetField(std::string_view& in, std::string& field) {
  std::uint64_t n = 0;
  if (!GetVarint(in, n) || n > in.size()) return false;
  field.assign(in.substr(0, n));
  in.remove_prefix(n);
  return true;
}

Error Corrupt(std::string what) {
  return Error{ErrorCode::kIo, "stored entity list is corrupt: " + std::move(what), ""};
}

}  // namespace

std::string PackEntities(const std::vector<EntityRef>& entities) {
  if (entities.empty()) return {};
  std::string body;
  PutVarint(body, entities.size());
  for (const EntityRef& e : entities) {
    for (const std::string* field : {&e.entity_id, &e.entity_name, &e.reason}) {
      PutVarint(body, field->size());
      body += *field;
    }
  }
  if (body.size() > kCompressAbove) return kPackedZstd + ZstdCompress(body);
  return kPackedRaw + body;
}

Result<std::vector<EntityRef>> UnpackEntities(std::string_view packed) {
  std::vector<EntityRef> entities;
  if (packed.empty()) return entities;
  std::string inflated;
  std::string_view body = packed.substr(1);
  if (packed.front() == kPackedZstd) {
    Result<std::string> d = ZstdDecompress(body);
    if (!d) return d.error();
    inflated = std::move(*d);
    body = inflated;
  } else if (packed.front() != kPackedRaw) {
    return Corrupt("unknown format byte");
  }
  std::uint64_t count = 0;
  if (!GetVarint(body, count) || count > body.size()) return Corrupt("bad count");
  entities.resize(count);
  for (EntityRef& e : entities) {
    if (!GetField(body, e.entity_id) || !GetField(body, e.entity_name) ||
        !GetField(body, e.reason)) {
      return Corrupt("truncated entity");
    }
  }
  if (!body.empty()) return Corrupt("trailing bytes");
  return entities;
}

std::string TagsToJson(const std::vector<std::string>& tags) {
  std::string out = "[";
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : tags[i]) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[(c >> 4) & 0xf];
        out += kHex[c & 0xf];
      } else {
        out += c;
      }
    }
    out += '"';
  }
  out += ']';
  return out;
}

Result<std::vector<std::string>> TagsFromJson(std::string_view json) {
  // Reads exactly what TagsToJson writes (plus insignificant spaces and the common escapes).
  auto bad = [&](std::size_t at) {
    return Error{ErrorCode::kIo, "stored tags are not a JSON array of strings",
                 "tags:" + std::to_string(at)};
  };
  std::vector<std::string> tags;
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < json.size() && (json[i] == ' ' || json[i] == '\n' || json[i] == '\t')) ++i;
  };
  auto consume = [&](char expected) {
    if (i >= json.size() || json[i] != expected) return false;
    ++i;
    return true;
  };
  skip_space();
  if (!consume('[')) return bad(i);
  skip_space();
  if (i < json.size() && json[i] == ']') return tags;
  for (;;) {
    skip_space();
    if (!consume('"')) return bad(i);
    std::string tag;
    for (;;) {
      if (i >= json.size()) return bad(i);
      char c = json[i++];
      if (c == '"') break;
      if (c != '\\') {
        tag += c;
        continue;
      }
      if (i >= json.size()) return bad(i);
      char e = json[i++];
      switch (e) {
        case '"':
        case '\\':
        case '/': tag += e; break;
        case 'n': tag += '\n'; break;
        case 't': tag += '\t'; break;
        case 'r': tag += '\r'; break;
        case 'b': tag += '\b'; break;
        case 'f': tag += '\f'; break;
        case 'u': {
          if (i + 4 > json.size()) return bad(i);
          unsigned code = 0;
          for (int k = 0; k < 4; ++k) {
            char h = json[i++];
            code <<= 4;
            if (h >= '0' && h <= '9')
              code |= h - '0';
            else if (h >= 'a' && h <= 'f')
              code |= h - 'a' + 10;
            else if (h >= 'A' && h <= 'F')
              code |= h - 'A' + 10;
            else
              return bad(i);
          }
          if (code >= 0x80) return bad(i);  // never written by TagsToJson
          tag += static_cast<char>(code);
          break;
        }
        default: return bad(i);
      }
    }
    tags.push_back(std::move(tag));
    skip_space();
    if (i >= json.size()) return bad(i);
    if (json[i] == ']') return tags;
    if (!consume(',')) return bad(i);
  }
}

}  // namespace securescore::store
