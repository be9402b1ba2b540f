#include "securescore/store/msgraph_scores.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

namespace securescore::store {
namespace {

using std::chrono::January;

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(SECURESCORE_FIXTURES_DIR) + "/graph-securescore/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(GraphSecureScoresTest, ReadsTheRealResponse) {
  std::string text = Fixture("secureScore.json");
  ASSERT_FALSE(text.empty());
  Result<std::vector<MicrosoftScore>> scores =
      ParseGraphSecureScores(text, "contoso", "secureScore.json");
  ASSERT_TRUE(scores.ok()) << scores.error().ToString();
  ASSERT_EQ(scores->size(), 1u);
  const MicrosoftScore& s = (*scores)[0];
  EXPECT_EQ(s.tenant_id, "contoso");
  EXPECT_EQ(s.day, Day(std::chrono::year(2024) / January / 1));
  EXPECT_EQ(s.current_score, 128);
  EXPECT_EQ(s.max_score, 274);
  // The object is kept whole (minified), controlScores and comparisons included.
  EXPECT_NE(s.raw_json.find("\"controlScores\":["), std::string::npos);
  EXPECT_NE(s.raw_json.find("\"averageComparativeScores\""), std::string::npos);
}

TEST(GraphSecureScoresTest, ReadsSeveralDaysAndSingleObjects) {
  Result<std::vector<MicrosoftScore>> scores =
      ParseGraphSecureScores(Fixture("secureScore-multiple.json"), "t", "multiple.json");
  ASSERT_TRUE(scores.ok()) << scores.error().ToString();
  EXPECT_EQ(scores->size(), 2u);
  Result<std::vector<MicrosoftScore>> one = ParseGraphSecureScores(
      R"({"createdDateTime":"2025-03-04T10:11:12.123Z","currentScore":1.5,"maxScore":3})", "t",
      "one.json");
  ASSERT_TRUE(one.ok()) << one.error().ToString();
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].day, Day(std::chrono::year(2025) / std::chrono::March / 4));
  Result<std::vector<MicrosoftScore>> array = ParseGraphSecureScores(
      R"([{"createdDateTime":"2025-03-04T00:00:00Z","currentScore":1,"maxScore":3}])", "t",
      "array.json");
  ASSERT_TRUE(array.ok());
  EXPECT_EQ(array->size(), 1u);
}

TEST(GraphSecureScoresTest, BadInputNamesTheFileAndTheJsonPointer) {
  struct Case {
    const char* json;
    const char* where;
  };
  for (
      Case c : {
          Case{"{not json", "f.json:"},
          Case{R"({"value":{}})", "f.json:/value"},
          Case{R"({"value":[1]})", "f.json:/value/0"},
          Case{R"({"value":[{"currentScore":1,"maxScore":2}]})", "f.json:/value/0/createdDateTime"},
          Case{
              R"({"value":[{"createdDateTime":"2024-13-01T00:00:00Z","currentScore":1,"maxScore":2}]})",
              "f.json:/value/0/createdDateTime"},
          Case{
              R"({"value":[{"createdDateTime":"2024-01-01T00:00:00Z","currentScore":"x","maxScore":2}]})",
              "f.json:/value/0/currentScore"},
          Case{R"({"value":[{"createdDateTime":"2024-01-01T00:00:00Z","currentScore":1}]})",
               "f.json:/value/0/maxScore"},
          Case{"42", "f.json:"},
      }) {
    Result<std::vector<MicrosoftScore>> r = ParseGraphSecureScores(c.json, "t", "f.json");
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput) << c.json;
    EXPECT_EQ(r.error().where, c.where) << c.json;
  }
}

TEST(MicrosoftAveragesTest, ReadsTheComparisonOfTheRealResponse) {
  Result<std::vector<MicrosoftScore>> scores =
      ParseGraphSecureScores(Fixture("secureScore.json"), "contoso", "secureScore.json");
  ASSERT_TRUE(scores.ok()) << scores.error().ToString();
  Result<std::vector<MicrosoftAverage>> averages = ParseMicrosoftAverages((*scores)[0].raw_json);
  ASSERT_TRUE(averages.ok()) << averages.error().ToString();
  ASSERT_EQ(averages->size(), 2u);
  EXPECT_EQ((*averages)[0].basis, "AllTenants");
  EXPECT_DOUBLE_EQ((*averages)[0].average_score, 54.65);
  EXPECT_EQ((*averages)[1].basis, "TotalSeats");
  EXPECT_DOUBLE_EQ((*averages)[1].average_score, 48.98);
}

TEST(MicrosoftAveragesTest, LeavesOutUnavailableBasesAndToleratesNone) {
  Result<std::vector<MicrosoftAverage>> averages = ParseMicrosoftAverages(
      R"({"averageComparativeScores":[{"basis":"AllTenants","averageScore":41.5},
          {"basis":"TotalSeats","averageScore":-1},{"basis":"IndustryTypes"},
          {"averageScore":12}]})");
  ASSERT_TRUE(averages.ok()) << averages.error().ToString();
  ASSERT_EQ(averages->size(), 1u);
  EXPECT_EQ((*averages)[0].basis, "AllTenants");
  EXPECT_DOUBLE_EQ((*averages)[0].average_score, 41.5);

  Result<std::vector<MicrosoftAverage>> none = ParseMicrosoftAverages(R"({"currentScore":1})");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  Result<std::vector<MicrosoftAverage>> corrupt = ParseMicrosoftAverages("[1,");
  ASSERT_FALSE(corrupt.ok());
  EXPECT_EQ(corrupt.error().code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace securescore::store
