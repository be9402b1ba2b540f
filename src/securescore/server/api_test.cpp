// The API through Router and ApiServer::Handle (no sockets): the authorisation matrix over
// every route, every response checked against the OpenAPI document, and the behaviours the
// contract promises (a state change shows at once, malformed JSON, limits, 404/405, headers).
#include <set>

#include "gmock/gmock.h"
#include "securescore/server/json_schema.h"
#include "securescore/server/server_test_util.h"

namespace securescore::server {
namespace {

using testing::ServerFixture;

class ApiTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    const std::string_view doc = OpenApiDocument();
    ASSERT_FALSE(parser_.parse(doc.data(), doc.size()).get(doc_)) << "openapi.json is not JSON";
  }

  // A control scored for t-alpha.
  std::string SomeControl() {
    HttpResponse r = Call("GET", "/api/v1/tenants/t-alpha/actions", fleet_[Role::kAdmin], "",
                          {{"status", "to_address"}});
    EXPECT_EQ(r.status, 200) << r.body;
    simdjson::dom::parser p;
    simdjson::dom::element e = p.parse(r.body);
    return std::string(e["items"].at(0)["id"].get_string().value());
  }

  // Fails the test when `response` to `method pattern` is not documented or does not match
  // its documented schema.
  void ExpectDocumented(const std::string& method, const std::string& pattern,
                        const HttpResponse& response) {
    std::string lower = method;
    for (char& c : lower) c = static_cast<char>(std::tolower(c));
    simdjson::dom::element op;
    ASSERT_FALSE(doc_["paths"][pattern][lower].get(op))
        << method << " " << pattern << " is not in the OpenAPI document";
    simdjson::dom::element documented;
    ASSERT_FALSE(op["responses"][std::to_string(response.status)].get(documented))
        << method << " " << pattern << " answered " << response.status
        << ", which is not documented: " << response.body;
    simdjson::dom::element schema;
    if (documented["content"]["application/json"]["schema"].get(schema)) return;
    ASSERT_EQ(response.content_type, "application/json") << method << " " << pattern;
    simdjson::dom::parser p;
    simdjson::dom::element value;
    ASSERT_FALSE(p.parse(response.body).get(value)) << "not JSON: " << response.body;
    std::vector<std::string> errors = ValidateJson(value, schema, doc_);
    EXPECT_THAT(errors, ::testing::IsEmpty()) << method << " " << pattern << " " << response.status
                                              << ": " << response.body.substr(0, 400);
    checked_.insert(method + " " + pattern + " " + std::to_string(response.status));
  }

  simdjson::dom::parser parser_;
  simdjson::dom::element doc_;
  std::set<std::string> checked_;
};

std::string Fill(std::string pattern, const std::string& tenant, const std::string& control,
                 const std::string& id) {
  for (auto [from, to] :
       {std::pair<std::string, std::string>{"{t}", tenant}, {"{c}", control}, {"{id}", id}}) {
    const std::size_t at = pattern.find(from);
    if (at != std::string::npos) pattern.replace(at, from.size(), to);
  }
  return pattern;
}

TEST(JsonSchemaTest, ReportsTypeRequiredEnumAndNullable) {
  simdjson::dom::parser sp, vp;
  simdjson::dom::element schema = sp.parse(std::string_view(R"({"type":"object",
    "required":["a","b"],"properties":{"a":{"type":"integer"},"b":{"type":"string","enum":["x"]},
    "c":{"type":"array","items":{"type":"number"}},"d":{"type":"string","nullable":true}}})"));
  EXPECT_THAT(ValidateJson(vp.parse(std::string_view(R"({"a":1,"b":"x","c":[1.5],"d":null})")),
                           schema, schema),
              ::testing::IsEmpty());
  simdjson::dom::parser vp2;
  std::vector<std::string> errors =
      ValidateJson(vp2.parse(std::string_view(R"({"a":1.5,"b":"y","c":["no"]})")), schema, schema);
  EXPECT_THAT(errors, ::testing::UnorderedElementsAre("/a: expected integer",
                                                      "/b: not one of the documented values",
                                                      "/c/0: expected number"));
  simdjson::dom::parser vp3;
  EXPECT_THAT(ValidateJson(vp3.parse(std::string_view(R"({"b":"x","d":null})")), schema, schema),
              ::testing::ElementsAre("/: missing required a"));
}

TEST_F(ApiTest, EveryRouteIsDocumented) {
  for (const Route& r : router_.routes()) {
    std::string lower = r.method;
    for (char& c : lower) c = static_cast<char>(std::tolower(c));
    simdjson::dom::element op;
    EXPECT_FALSE(doc_["paths"][r.pattern][lower].get(op)) << r.method << " " << r.pattern;
  }
}

// Every route × {reader, operator, admin} × {scoped in, scoped out, every tenant} plus no,
// unknown, expired and revoked tokens. Each answer must be the one the rules give and must be
// documented for the route.
TEST_F(ApiTest, AuthorisationMatrix) {
  const std::string control = SomeControl();
  struct Who {
    std::string name;
    std::string token;
    std::optional<Role> role;  // nullopt: not a valid token
    bool all_tenants;
  };
  std::vector<Who> who = {
      {"none", "", std::nullopt, false},
      {"unknown", "sst_0123456789abcdef_" + std::string(64, '0'), std::nullopt, false},
      {"expired", expired_, std::nullopt, false},
      {"revoked", revoked_, std::nullopt, false}};
  for (Role role : {Role::kReader, Role::kOperator, Role::kAdmin}) {
    who.push_back({"scoped " + std::string(ToString(role)), scoped_[role], role, false});
    who.push_back({"fleet " + std::string(ToString(role)), fleet_[role], role, true});
  }
  int checked = 0;
  for (const Route& route : router_.routes()) {
    const bool has_tenant = route.pattern.find("{t}") != std::string::npos;
    for (const Who& w : who) {
      // DELETE of a tenant would remove the fixture's tenants: aim it at two spare ones.
      const bool deleting_tenant =
          route.method == "DELETE" && route.pattern == "/api/v1/tenants/{t}";
      const std::string in_scope = deleting_tenant ? "t-delta" : "t-alpha";
      const std::string out_of_scope = deleting_tenant ? "t-gamma" : "t-beta";
      // In scope, out of scope; without {t} the second is the same request.
      for (const std::string& tenant : {in_scope, out_of_scope}) {
        if (!has_tenant && tenant == out_of_scope) continue;
        const std::string path = Fill(route.pattern, tenant, control, "x");
        HttpResponse r = Call(route.method, path, w.token, "{}");
        const std::string what = route.method + " " + path + " as " + w.name;
        int expected = 0;  // 0: allowed (anything but 401/403)
        if (route.scope == Scope::kOpen) {
          expected = 0;
        } else if (!w.role) {
          expected = 401;
        } else if (*w.role < route.role) {
          expected = 403;
        } else if (route.scope == Scope::kAllTenants && !w.all_tenants) {
          expected = 403;
        } else if (route.scope == Scope::kOneTenant && w.all_tenants) {
          expected = 403;
        } else if (has_tenant && !w.all_tenants && tenant == out_of_scope) {
          expected = 404;
        }
        if (expected == 0) {
          EXPECT_NE(r.status, 401) << what << ": " << r.body;
          EXPECT_NE(r.status, 403) << what << ": " << r.body;
          EXPECT_LT(r.status, 500) << what << ": " << r.body;
        } else {
          EXPECT_EQ(r.status, expected) << what << ": " << r.body;
        }
        ExpectDocumented(route.method, route.pattern, r);
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 300);
}

TEST_F(ApiTest, OutOfScopeLooksExactlyLikeAbsent) {
  HttpResponse out = Call("GET", "/api/v1/tenants/t-beta/score", scoped_[Role::kAdmin]);
  HttpResponse absent = Call("GET", "/api/v1/tenants/nope/score", scoped_[Role::kAdmin]);
  HttpResponse absent_fleet = Call("GET", "/api/v1/tenants/nope/score", fleet_[Role::kAdmin]);
  EXPECT_EQ(out.status, 404);
  EXPECT_EQ(out.body, absent.body);
  EXPECT_EQ(out.body, absent_fleet.body);
  HttpResponse list = Call("GET", "/api/v1/tenants", scoped_[Role::kReader]);
  EXPECT_THAT(list.body, ::testing::HasSubstr("t-alpha"));
  EXPECT_THAT(list.body, ::testing::Not(::testing::HasSubstr("t-beta")));
}

// One request per route that should succeed, each checked against the document.
TEST_F(ApiTest, SuccessfulResponsesMatchTheDocument) {
  const std::string admin = fleet_[Role::kAdmin];
  const std::string c = SomeControl();
  const std::string t = "/api/v1/tenants/t-alpha";
  struct Case {
    std::string method, pattern, path, body;
    int status;
    std::string token;
    std::map<std::string, std::string> headers;
  };
  const std::string snapshot =
      testing::Snapshot(10, generate::Profile::kStrong, testing::kNow + 86400);
  std::vector<Case> cases = {
      {"GET", "/healthz", "/healthz", "", 200, ""},
      {"GET", "/metrics", "/metrics", "", 200, ""},
      {"GET", "/api/v1/openapi.json", "/api/v1/openapi.json", "", 200, ""},
      {"GET", "/api/v1/me", "/api/v1/me", "", 200, admin},
      {"GET", "/api/v1/tenants", "/api/v1/tenants", "", 200, admin},
      {"POST", "/api/v1/tenants", "/api/v1/tenants",
       R"({"id":"t-new","displayName":"New","industry":"Retail","seats":50})", 201, admin},
      {"GET", "/api/v1/tenants/{t}", t, "", 200, admin},
      {"GET", "/api/v1/tenants/{t}/score", t + "/score", "", 200, admin},
      {"GET", "/api/v1/tenants/{t}/actions", t + "/actions", "", 200, admin},
      {"GET", "/api/v1/tenants/{t}/actions.csv", t + "/actions.csv", "", 200, admin},
      {"GET", "/api/v1/tenants/{t}/actions/{c}", t + "/actions/" + c, "", 200, admin},
      {"PATCH", "/api/v1/tenants/{t}/actions/{c}", t + "/actions/" + c,
       R"({"state":"planned","comment":"next sprint","assignee":"ana","tags":["q1"],
           "expiresAt":"2027-03-01"})",
       200, admin},
      {"POST", "/api/v1/tenants/{t}/actions/bulk", t + "/actions/bulk",
       R"({"controls":[")" + c + R"("],"state":"reviewed","comment":"bulk"})", 200, admin},
      {"POST", "/api/v1/actions/bulk", "/api/v1/actions/bulk",
       R"({"tenants":"all","controls":[")" + c + R"("],"state":"planned","comment":"fleet"})", 200,
       admin},
      {"POST", "/api/v1/tenants/{t}/exceptions", t + "/exceptions",
       R"({"control":")" + c + R"(","entityId":"u1","rationale":"break-glass"})", 201, admin},
      {"GET", "/api/v1/tenants/{t}/exceptions", t + "/exceptions", "", 200, admin},
      {"DELETE", "/api/v1/tenants/{t}/exceptions/{id}", t + "/exceptions/" + c + ":u1", "", 204,
       admin},
      {"PUT", "/api/v1/tenants/{t}/goal", t + "/goal",
       R"({"target":75,"by":"2027-06-30","zones":{"good":70,"okay":40}})", 200, admin},
      {"GET", "/api/v1/tenants/{t}/goal", t + "/goal", "", 200, admin},
      {"GET", "/api/v1/tenants/{t}/history", t + "/history", "", 200, admin},
      {"GET", "/api/v1/tenants/{t}/trends", t + "/trends", "", 200, admin},
      {"GET", "/api/v1/tenants/{t}/compare", t + "/compare", "", 200, admin},
      {"POST", "/api/v1/tenants/{t}/whatif", t + "/whatif", R"({"controls":[")" + c + R"("]})", 200,
       admin},
      {"POST", "/api/v1/tenants/{t}/evaluate", t + "/evaluate", snapshot, 201, admin},
      {"POST", "/api/v1/tenants/{t}/evaluate", t + "/evaluate", snapshot, 200, admin},
      {"GET", "/api/v1/tokens", "/api/v1/tokens", "", 200, admin},
      {"POST", "/api/v1/tokens", "/api/v1/tokens", R"({"role":"reader","tenant":"t-alpha"})", 201,
       admin},
      {"POST", "/api/v1/alerts/rules", "/api/v1/alerts/rules",
       R"({"kind":"score_below","threshold":50,"url":"http://127.0.0.1:9/h",
           "secret":"0123456789abcdef"})",
       201, admin},
      {"GET", "/api/v1/alerts/rules", "/api/v1/alerts/rules", "", 200, admin},
      {"DELETE", "/api/v1/alerts/rules/{id}", "/api/v1/alerts/rules/1", "", 204, admin},
      {"GET", "/api/v1/alerts/deliveries", "/api/v1/alerts/deliveries", "", 200, admin},
      {"GET", "/v1.0/security/secureScores", "/v1.0/security/secureScores", "", 200,
       scoped_[Role::kReader]},
      {"GET", "/v1.0/security/secureScoreControlProfiles",
       "/v1.0/security/secureScoreControlProfiles", "", 200, scoped_[Role::kReader]},
      {"GET", "/v1.0/security/secureScoreControlProfiles/{id}",
       "/v1.0/security/secureScoreControlProfiles/" + c, "", 200, scoped_[Role::kReader]},
      {"PATCH", "/v1.0/security/secureScoreControlProfiles/{id}",
       "/v1.0/security/secureScoreControlProfiles/" + c, R"({"state":"Ignored","comment":"x"})",
       204, scoped_[Role::kOperator]},
      {"PATCH",
       "/v1.0/security/secureScoreControlProfiles/{id}",
       "/v1.0/security/secureScoreControlProfiles/" + c,
       R"({"state":"ThirdParty","assignedTo":"bob","vendorInformation":{"provider":"x"}})",
       200,
       scoped_[Role::kOperator],
       {{"Prefer", "return=representation"}}},
      {"DELETE", "/api/v1/tenants/{t}", "/api/v1/tenants/t-new", "", 204, admin},
  };
  // The token id to revoke is the one just listed first.
  std::set<std::string> routes_seen;
  for (const Case& k : cases) {
    HttpResponse r =
        Call(k.method, k.path, k.token, k.body, {}, std::map<std::string, std::string>(k.headers));
    EXPECT_EQ(r.status, k.status) << k.method << " " << k.path << ": " << r.body.substr(0, 500);
    ExpectDocumented(k.method, k.pattern, r);
    routes_seen.insert(k.method + " " + k.pattern);
  }
  HttpResponse tokens = Call("GET", "/api/v1/tokens", admin);
  simdjson::dom::parser p;
  std::string id(p.parse(tokens.body)["tokens"].at(0)["id"].get_string().value());
  HttpResponse revoked = Call("DELETE", "/api/v1/tokens/" + id, admin);
  EXPECT_EQ(revoked.status, 204);
  ExpectDocumented("DELETE", "/api/v1/tokens/{id}", revoked);
  routes_seen.insert("DELETE /api/v1/tokens/{id}");
  for (const Route& r : router_.routes()) {
    EXPECT_TRUE(routes_seen.count(r.method + " " + r.pattern))
        << "no successful case for " << r.method << " " << r.pattern;
  }
}

// The served score counts failing entities; ?include=entities lists them, and the two agree
// with each other and with the action's own route.
TEST_F(ApiTest, ScoreCountsEntitiesAndListsThemOnRequest) {
  const std::string t = "/api/v1/tenants/t-alpha";
  const std::string reader = scoped_[Role::kReader];
  HttpResponse counts = Call("GET", t + "/score", reader);
  HttpResponse lists = Call("GET", t + "/score", reader, "", {{"include", "entities"}});
  ASSERT_EQ(counts.status, 200) << counts.body;
  ASSERT_EQ(lists.status, 200) << lists.body;
  ExpectDocumented("GET", "/api/v1/tenants/{t}/score", lists);
  EXPECT_LT(counts.body.size(), lists.body.size());
  simdjson::dom::parser p1, p2, p3;
  simdjson::dom::array with_counts = p1.parse(counts.body)["controls"].get_array();
  simdjson::dom::array with_lists = p2.parse(lists.body)["controls"].get_array();
  ASSERT_EQ(with_counts.size(), with_lists.size());
  std::int64_t failing_seen = 0;
  for (std::size_t i = 0; i < with_counts.size(); ++i) {
    simdjson::dom::element c = with_counts.at(i);
    simdjson::dom::element l = with_lists.at(i);
    EXPECT_TRUE(c["failing"].error() == simdjson::NO_SUCH_FIELD);
    EXPECT_TRUE(l["failingCount"].error() == simdjson::NO_SUCH_FIELD);
    const std::int64_t n = c["failingCount"].get_int64().value();
    EXPECT_EQ(static_cast<std::int64_t>(l["failing"].get_array().size()), n)
        << c["id"].get_string().value();
    failing_seen += n;
  }
  EXPECT_GT(failing_seen, 0);
  HttpResponse bad = Call("GET", t + "/score", reader, "", {{"include", "everything"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, ::testing::HasSubstr("include"));
}

TEST_F(ApiTest, StateChangeShowsInTheServedScoreAtOnce) {
  const std::string c = SomeControl();
  const std::string t = "/api/v1/tenants/t-alpha";
  HttpResponse before = Call("GET", t + "/score", scoped_[Role::kReader]);
  ASSERT_EQ(before.status, 200);
  simdjson::dom::parser p1;
  const double current_before = p1.parse(before.body)["score"]["current"].get_double().value();
  HttpResponse patched = Call("PATCH", t + "/actions/" + c, scoped_[Role::kOperator],
                              R"({"state":"third_party","comment":"vendor covers it"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  HttpResponse after = Call("GET", t + "/score", scoped_[Role::kReader]);
  simdjson::dom::parser p2;
  simdjson::dom::element doc = p2.parse(after.body);
  EXPECT_GT(doc["score"]["current"].get_double().value(), current_before);
  bool found = false;
  for (simdjson::dom::element control : doc["controls"].get_array()) {
    if (control["id"].get_string().value() != c) continue;
    found = true;
    EXPECT_EQ(control["state"].get_string().value(), "third_party");
    EXPECT_EQ(control["stateComment"].get_string().value(), "vendor covers it");
  }
  EXPECT_TRUE(found);
  HttpResponse detail = Call("GET", t + "/actions/" + c, scoped_[Role::kReader]);
  EXPECT_THAT(detail.body, ::testing::HasSubstr("\"to\":\"third_party\""));
}

TEST_F(ApiTest, WhatIfProjectsWithoutChangingAndSavesAsPlannedForOperators) {
  const std::string c = SomeControl();
  const std::string t = "/api/v1/tenants/t-alpha";
  HttpResponse w =
      Call("POST", t + "/whatif", scoped_[Role::kReader], R"({"controls":[")" + c + R"("]})");
  ASSERT_EQ(w.status, 200) << w.body;
  simdjson::dom::parser p;
  simdjson::dom::element doc = p.parse(w.body);
  EXPECT_GT(doc["projected"].get_double().value(), doc["current"].get_double().value());
  HttpResponse save = Call("POST", t + "/whatif", scoped_[Role::kReader],
                           R"({"controls":[")" + c + R"("],"save":true})");
  EXPECT_EQ(save.status, 403);
  HttpResponse saved = Call("POST", t + "/whatif", scoped_[Role::kOperator],
                            R"({"controls":[")" + c + R"("],"save":true})");
  EXPECT_EQ(saved.status, 200);
  HttpResponse detail = Call("GET", t + "/actions/" + c, scoped_[Role::kReader]);
  EXPECT_THAT(detail.body, ::testing::HasSubstr("\"state\":\"planned\""));
  HttpResponse unknown =
      Call("POST", t + "/whatif", scoped_[Role::kReader], R"({"controls":["NoSuchControl"]})");
  EXPECT_EQ(unknown.status, 404);
}

TEST_F(ApiTest, BadRequestsGetJsonErrors) {
  const std::string t = "/api/v1/tenants/t-alpha";
  const std::string op = scoped_[Role::kOperator];
  HttpResponse malformed = Call("PATCH", t + "/actions/x", op, "{\"state\": ");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_THAT(malformed.body, ::testing::HasSubstr("\"code\":\"invalid_request\""));
  EXPECT_THAT(malformed.body, ::testing::HasSubstr("malformed JSON"));
  HttpResponse bad_state =
      Call("PATCH", t + "/actions/" + SomeControl(), op, R"({"state":"done"})");
  EXPECT_EQ(bad_state.status, 400);
  EXPECT_THAT(bad_state.body, ::testing::HasSubstr("\"where\":\"/state\""));
  HttpResponse wrong_type = Call("PUT", t + "/goal", op, R"({"target":"high"})");
  EXPECT_EQ(wrong_type.status, 400);
  HttpResponse big = Call("PATCH", t + "/actions/x", op, std::string(kDefaultBodyLimit + 1, ' '));
  EXPECT_EQ(big.status, 413);
  HttpResponse unknown = Call("GET", "/api/v1/nothing-here", op);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_THAT(unknown.body, ::testing::HasSubstr("not_found"));
  HttpResponse wrong_method = Call("PUT", t + "/score", op);
  EXPECT_EQ(wrong_method.status, 405);
  bool allow = false;
  for (const auto& [k, v] : wrong_method.headers) allow |= k == "Allow" && v == "GET";
  EXPECT_TRUE(allow);
  HttpResponse bad_sort = Call("GET", t + "/actions", op, "", {{"sort", "colour"}});
  EXPECT_EQ(bad_sort.status, 400);
}

TEST_F(ApiTest, SecurityHeadersOnEveryResponse) {
  for (const HttpResponse& r :
       {Call("GET", "/healthz", ""), Call("GET", "/api/v1/me", ""), Call("GET", "/nowhere", ""),
        Call("GET", "/api/v1/tenants", fleet_[Role::kReader])}) {
    std::map<std::string, std::string> h(r.headers.begin(), r.headers.end());
    EXPECT_THAT(h["Content-Security-Policy"], ::testing::HasSubstr("default-src 'self'"));
    EXPECT_THAT(h["Content-Security-Policy"], ::testing::HasSubstr("frame-ancestors 'none'"));
    EXPECT_EQ(h["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ(h["Referrer-Policy"], "no-referrer");
  }
}

TEST_F(ApiTest, ActionsFilterSortAndPage) {
  const std::string t = "/api/v1/tenants/t-alpha/actions";
  const std::string reader = scoped_[Role::kReader];
  HttpResponse all = Call("GET", t, reader, "", {{"limit", "1000"}});
  simdjson::dom::parser p;
  simdjson::dom::element doc = p.parse(all.body);
  const std::int64_t total = doc["total"].get_int64().value();
  ASSERT_GT(total, 5);
  double previous = 1e9;
  for (simdjson::dom::element item : doc["items"].get_array()) {
    const double impact = item["scoreImpact"].get_double().value();
    EXPECT_LE(impact, previous);
    previous = impact;
  }
  HttpResponse page = Call("GET", t, reader, "", {{"limit", "2"}, {"offset", "1"}});
  simdjson::dom::parser p2;
  EXPECT_EQ(p2.parse(page.body)["items"].get_array().size(), 2u);
  HttpResponse identity = Call("GET", t, reader, "", {{"category", "Identity"}});
  simdjson::dom::parser p3;
  for (simdjson::dom::element item : p3.parse(identity.body)["items"].get_array()) {
    EXPECT_EQ(item["category"].get_string().value(), "Identity");
  }
  HttpResponse csv = Call("GET", t + ".csv", reader, "", {{"category", "Identity"}});
  EXPECT_EQ(csv.status, 200);
  EXPECT_THAT(csv.content_type, ::testing::HasSubstr("text/csv"));
  EXPECT_THAT(csv.body, ::testing::StartsWith("id,title,"));
}

TEST_F(ApiTest, MetricsCountRequestsByRouteAndStatus) {
  (void)Call("GET", "/api/v1/tenants/t-alpha/score", scoped_[Role::kReader]);
  (void)Call("GET", "/api/v1/tenants/t-alpha/score", "");
  HttpResponse m = Call("GET", "/metrics", "");
  EXPECT_THAT(m.body, ::testing::HasSubstr(
                          "securescore_http_requests_total{route=\"/api/v1/tenants/{t}/score\","
                          "status=\"200\"} 1"));
  EXPECT_THAT(m.body, ::testing::HasSubstr("status=\"401\"} 1"));
  EXPECT_THAT(m.body, ::testing::HasSubstr("securescore_http_request_duration_seconds_bucket"));
}

// The fleet row's sparkline ends at the score shown beside it, today's states included.
TEST_F(ApiTest, SparklineEndsAtTheCurrentScore) {
  const std::string t = "/api/v1/tenants/t-alpha";
  HttpResponse patched = Call("PATCH", t + "/actions/" + SomeControl(), scoped_[Role::kOperator],
                              R"({"state":"third_party"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  HttpResponse row = Call("GET", t, scoped_[Role::kReader]);
  ASSERT_EQ(row.status, 200) << row.body;
  simdjson::dom::parser p;
  simdjson::dom::element doc = p.parse(row.body);
  simdjson::dom::array line = doc["sparkline"].get_array();
  ASSERT_GE(line.size(), 2u);
  const double shown = doc["score"]["percentage"].get_double().value();
  EXPECT_DOUBLE_EQ(line.at(line.size() - 1)["percentage"].get_double().value(), shown);
  EXPECT_NE(line.at(0)["percentage"].get_double().value(), shown);
}

// Tokens are remembered for a few seconds: a revocation through the API is refused at once,
// one made by another process (straight in the store) within AuthCache::kMaxAge.
TEST_F(ApiTest, RevokedTokensAreRefusedDespiteTheCache) {
  const std::string admin = fleet_[Role::kAdmin];
  const std::string path = "/api/v1/tenants/t-alpha/score";
  auto lease = pool_->Acquire();
  ASSERT_TRUE(lease);
  for (const std::string& victim :
       {Issue(**lease, Role::kReader, "t-alpha"), Issue(**lease, Role::kReader, "t-alpha")}) {
    ASSERT_EQ(Call("GET", path, victim).status, 200);  // now remembered
  }
  const std::string through_api = Issue(**lease, Role::kReader, "t-alpha");
  const std::string elsewhere = Issue(**lease, Role::kReader, "t-alpha");
  ASSERT_EQ(Call("GET", path, through_api).status, 200);
  ASSERT_EQ(Call("GET", path, elsewhere).status, 200);
  auto id_of = [&](const std::string& token) {
    auto r = (*lease)->FindTokenByHash(Sha256Hex(token));
    EXPECT_TRUE(r);
    return r ? r->id : std::string();
  };
  EXPECT_EQ(Call("DELETE", "/api/v1/tokens/" + id_of(through_api), admin).status, 204);
  EXPECT_EQ(Call("GET", path, through_api).status, 401);

  ASSERT_TRUE((*lease)->RevokeToken(id_of(elsewhere), now_));
  now_ += AuthCache::kMaxAge;
  HttpResponse later = Call("GET", path, elsewhere);
  EXPECT_EQ(later.status, 401);
  EXPECT_THAT(later.body, ::testing::HasSubstr("revoked"));
}

// A tenant removed through the API is gone for tokens that had just used it.
TEST_F(ApiTest, RemovedTenantsAreGoneDespiteTheCache) {
  const std::string admin = fleet_[Role::kAdmin];
  ASSERT_EQ(Call("GET", "/api/v1/tenants/t-gamma/score", admin).status, 200);
  ASSERT_EQ(Call("DELETE", "/api/v1/tenants/t-gamma", admin).status, 204);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/t-gamma/score", admin).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/t-gamma", admin).status, 404);
}

}  // namespace
}  // namespace securescore::server
