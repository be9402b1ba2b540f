// The Graph-compatible endpoints against Microsoft's real responses
// (../shared/fixtures/graph-securescore/): every field Microsoft returns is present in ours
// with the same JSON type, paging follows OData, and PATCH behaves as Graph documents.
#include <simdjson.h>

#include <fstream>
#include <set>
#include <sstream>

#include "gmock/gmock.h"
#include "securescore/server/server_test_util.h"

namespace securescore::server {
namespace {

using testing::ServerFixture;

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(SECURESCORE_FIXTURES_DIR) + "/graph-securescore/" + name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string_view TypeName(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::STRING: return "string";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE: return "number";
    case simdjson::dom::element_type::BOOL: return "boolean";
    case simdjson::dom::element_type::OBJECT: return "object";
    case simdjson::dom::element_type::ARRAY: return "array";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
  }
  return "?";
}

// Every key of `theirs` is in `ours` with the same type (null on either side matches any).
// `optional` keys may be missing (Microsoft itself sends them only for some objects).
void ExpectSameFields(simdjson::dom::object theirs, simdjson::dom::object ours,
                      const std::string& where, const std::set<std::string>& optional = {}) {
  for (auto [key, value] : theirs) {
    simdjson::dom::element mine;
    if (ours.at_key(key).get(mine)) {
      if (!optional.count(std::string(key))) ADD_FAILURE() << where << ": missing " << key;
      continue;
    }
    if (value.is_null() || mine.is_null()) continue;
    EXPECT_EQ(TypeName(mine), TypeName(value)) << where << "." << key;
  }
}

class GraphTest : public ServerFixture {};

TEST_F(GraphTest, SecureScoresHaveMicrosoftsFields) {
  const std::string fixture = Fixture("secureScore.json");
  ASSERT_FALSE(fixture.empty());
  simdjson::dom::parser fp, op;
  simdjson::dom::element theirs = fp.parse(fixture);
  HttpResponse r = Call("GET", "/v1.0/security/secureScores", scoped_[Role::kReader]);
  ASSERT_EQ(r.status, 200) << r.body;
  simdjson::dom::element ours = op.parse(r.body);
  ExpectSameFields(theirs.get_object(), ours.get_object(), "page", {"@odata.nextLink"});
  simdjson::dom::element t0 = theirs["value"].at(0), o0 = ours["value"].at(0);
  ExpectSameFields(t0.get_object(), o0.get_object(), "secureScore");
  EXPECT_EQ(o0["id"].get_string().value().substr(0, 8), "t-alpha_");
  EXPECT_EQ(o0["azureTenantId"].get_string().value(), "t-alpha");
  // Newest day first, one object per day.
  ASSERT_EQ(ours["value"].get_array().size(), 2u);
  EXPECT_GT(ours["value"].at(0)["id"].get_string().value(),
            ours["value"].at(1)["id"].get_string().value());
  ExpectSameFields(t0["vendorInformation"].get_object(), o0["vendorInformation"].get_object(),
                   "vendorInformation");
  // Microsoft sends count/total for per-entity controls and "on" for others.
  for (simdjson::dom::element c : o0["controlScores"].get_array()) {
    ExpectSameFields(t0["controlScores"].at(0).get_object(), c.get_object(), "controlScores",
                     {"count", "total", "on"});
  }
  simdjson::dom::element theirs_count;
  for (simdjson::dom::element c : t0["controlScores"].get_array()) {
    if (!c["count"].get(theirs_count)) break;
  }
  bool ours_has_count = false;
  for (simdjson::dom::element c : o0["controlScores"].get_array()) {
    simdjson::dom::element count;
    if (c["count"].get(count)) continue;
    ours_has_count = true;
    EXPECT_EQ(TypeName(count), TypeName(theirs_count));  // a string, as Microsoft sends it
  }
  EXPECT_TRUE(ours_has_count);
  // Three peers (beta, gamma, delta) are enough for AllTenants.
  simdjson::dom::array bases = o0["averageComparativeScores"].get_array();
  ASSERT_GE(bases.size(), 1u);
  ExpectSameFields(t0["averageComparativeScores"].at(0).get_object(), bases.at(0).get_object(),
                   "averageComparativeScores");
  EXPECT_EQ(bases.at(0)["basis"].get_string().value(), "AllTenants");
}

TEST_F(GraphTest, SecureScoresPageWithTopSkipAndNextLink) {
  HttpResponse first =
      Call("GET", "/v1.0/security/secureScores", scoped_[Role::kReader], "", {{"$top", "1"}});
  simdjson::dom::parser p1;
  simdjson::dom::element one = p1.parse(first.body);
  ASSERT_EQ(one["value"].get_array().size(), 1u);
  EXPECT_EQ(one["@odata.nextLink"].get_string().value(),
            "http://127.0.0.1:8080/v1.0/security/secureScores?$top=1&$skip=1");
  HttpResponse second = Call("GET", "/v1.0/security/secureScores", scoped_[Role::kReader], "",
                             {{"$top", "1"}, {"$skip", "1"}});
  simdjson::dom::parser p2;
  simdjson::dom::element two = p2.parse(second.body);
  ASSERT_EQ(two["value"].get_array().size(), 1u);
  simdjson::dom::element none;
  EXPECT_TRUE(two["@odata.nextLink"].get(none));
  EXPECT_LT(two["value"].at(0)["id"].get_string().value(),
            one["value"].at(0)["id"].get_string().value());
  HttpResponse bad =
      Call("GET", "/v1.0/security/secureScores", scoped_[Role::kReader], "", {{"$top", "-3"}});
  EXPECT_EQ(bad.status, 400);
}

TEST_F(GraphTest, ControlProfilesHaveMicrosoftsFields) {
  const std::string fixture = Fixture("profiles.json");
  simdjson::dom::parser fp, op;
  simdjson::dom::element theirs = fp.parse(fixture);
  HttpResponse r = Call("GET", "/v1.0/security/secureScoreControlProfiles", scoped_[Role::kReader],
                        "", {{"$top", "5"}});
  ASSERT_EQ(r.status, 200) << r.body;
  simdjson::dom::element ours = op.parse(r.body);
  ExpectSameFields(theirs.get_object(), ours.get_object(), "page");
  for (simdjson::dom::element profile : ours["value"].get_array()) {
    ExpectSameFields(theirs["value"].at(0).get_object(), profile.get_object(), "profile");
    ExpectSameFields(theirs["value"].at(0)["controlStateUpdates"].at(0).get_object(),
                     profile["controlStateUpdates"].at(0).get_object(), "controlStateUpdates");
  }
}

TEST_F(GraphTest, PatchSetsStateAndReturnsRepresentationWhenAsked) {
  HttpResponse list = Call("GET", "/v1.0/security/secureScoreControlProfiles",
                           scoped_[Role::kReader], "", {{"$top", "1"}});
  simdjson::dom::parser p;
  const std::string id(p.parse(list.body)["value"].at(0)["id"].get_string().value());
  const std::string path = "/v1.0/security/secureScoreControlProfiles/" + id;
  HttpResponse reader = Call("PATCH", path, scoped_[Role::kReader], R"({"state":"Ignored"})");
  EXPECT_EQ(reader.status, 403);
  HttpResponse plain = Call("PATCH", path, scoped_[Role::kOperator],
                            R"({"state":"Ignored","comment":"accepted","vendorInformation":{}})");
  EXPECT_EQ(plain.status, 204);
  EXPECT_TRUE(plain.body.empty());
  HttpResponse rep = Call("PATCH", path, scoped_[Role::kOperator],
                          R"({"state":"ThirdParty","assignedTo":"ana@example.org"})", {},
                          {{"Prefer", "return=representation"}});
  ASSERT_EQ(rep.status, 200);
  simdjson::dom::parser p2;
  simdjson::dom::element doc = p2.parse(rep.body);
  simdjson::dom::array updates = doc["controlStateUpdates"].get_array();
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates.at(0)["state"].get_string().value(), "Ignored");
  EXPECT_EQ(updates.at(1)["state"].get_string().value(), "ThirdParty");
  EXPECT_EQ(updates.at(1)["assignedTo"].get_string().value(), "ana@example.org");
  // The native API sees the same state at once.
  HttpResponse native =
      Call("GET", "/api/v1/tenants/t-alpha/actions/" + id, scoped_[Role::kReader]);
  EXPECT_THAT(native.body, ::testing::HasSubstr("\"state\":\"third_party\""));
  HttpResponse unknown = Call("PATCH", "/v1.0/security/secureScoreControlProfiles/Nope",
                              scoped_[Role::kOperator], R"({"state":"Ignored"})");
  EXPECT_EQ(unknown.status, 404);
}

TEST_F(GraphTest, FleetTokensAreAskedForATenantScope) {
  HttpResponse r = Call("GET", "/v1.0/security/secureScores", fleet_[Role::kAdmin]);
  EXPECT_EQ(r.status, 403);
  EXPECT_THAT(r.body, ::testing::HasSubstr("scoped to one tenant"));
}

}  // namespace
}  // namespace securescore::server
