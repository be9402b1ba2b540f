#include "securescore/catalog/yaml_json.h"

#include <gtest/gtest.h>

namespace securescore::catalog {
namespace {

std::string Convert(const std::string& yaml) {
  JsonWriter w;
  WriteYamlAsJson(YAML::Load(yaml), w);
  return w.str();
}

TEST(YamlAsJson, KeepsYamlTypes) {
  EXPECT_EQ(Convert("[12, '12', \"12\", -3, +4, 1.5, 1e3, .5, true, 'true', False, ~, null, "
                    "'', yes, 0x1F, 2026-01-01, 1.2.3]"),
            R"([12,"12","12",-3,4,1.5,1000,0.5,true,"true",false,null,null,"","yes","0x1F",)"
            R"("2026-01-01","1.2.3"])");
}

TEST(YamlAsJson, HugeIntegersStayNumbers) {
  EXPECT_EQ(Convert("[99999999999999999999]"), "[1e+20]");  // a JSON number, as JSON would keep it
}

TEST(YamlAsJson, NestedMapsAndBlockScalars) {
  EXPECT_EQ(Convert("a:\n  b: [x, {c: 1}]\n  d: |\n    line\nempty:\n"),
            R"({"a":{"b":["x",{"c":1}],"d":"line\n"},"empty":null})");
}

}  // namespace
}  // namespace securescore::catalog
