#include "securescore/catalog/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace securescore::catalog {
namespace {

TEST(JsonWriter, SeparatesEscapesAndKeepsDoublesExact) {
  JsonWriter w;
  w.BeginObject()
      .Key("s")
      .String("a\"b\\c\n\x01é")
      .Key("n")
      .Number(9.0 * 25 / 52)
      .Key("whole")
      .Number(9)
      .Key("i")
      .Int(-3)
      .Key("list")
      .BeginArray()
      .Bool(true)
      .Null()
      .BeginObject()
      .EndObject()
      .EndArray()
      .Key("nan")
      .Number(std::nan(""))
      .EndObject();
  EXPECT_EQ(w.str(), R"({"s":"a\"b\\c\n\u0001é","n":4.326923076923077,"whole":9,"i":-3,)"
                     R"("list":[true,null,{}],"nan":null})");
}

TEST(JsonWriter, PrettyPrintsWithIndent) {
  JsonWriter w(2);
  w.BeginObject().Key("a").BeginArray().Int(1).Int(2).EndArray().Key("b").BeginArray();
  w.EndArray().EndObject();
  EXPECT_EQ(w.str(), "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": []\n}");
}

}  // namespace
}  // namespace securescore::catalog
