// The control files compiled into the binary by cmake/EmbedCatalog.cmake (generated .cpp).
#pragma once

#include <span>
#include <string_view>

namespace securescore::catalog {

struct EmbeddedFile {
  std::string_view path;  // relative to the source tree
  std::string_view content;
};

std::span<const EmbeddedFile> EmbeddedCatalogFiles();

}  // namespace securescore::catalog
