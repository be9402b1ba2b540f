// How the store encodes what it keeps: SHA-256 of a snapshot's canonical bytes (libcrypto) as
// its content hash, zstd for stored copies, packed entity lists and JSON tag lists. Pure
// functions over bytes, kept apart from SQL so they are tested on their own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/store/records.h"

namespace securescore::store {

// Lower-case hex SHA-256 of `bytes` (64 characters).
std::string Sha256Hex(std::string_view bytes);

std::string ZstdCompress(std::string_view bytes);

// Fails with kIo when `compressed` is not a complete zstd frame.
Result<std::string> ZstdDecompress(std::string_view compressed);

// A control's failing or excepted entities as one compact value: length-prefixed fields,
// zstd-compressed when that pays. An empty list packs to an empty string.
std::string PackEntities(const std::vector<EntityRef>& entities);
Result<std::vector<EntityRef>> UnpackEntities(std::string_view packed);

// Tags as a JSON array of strings, readable in the database with JSON1 / jsonb.
std::string TagsToJson(const std::vector<std::string>& tags);
Result<std::vector<std::string>> TagsFromJson(std::string_view json);

}  // namespace securescore::store
