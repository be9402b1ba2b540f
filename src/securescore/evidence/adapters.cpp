#include "securescore/evidence/adapters.h"

#include <new>

#include "securescore/evidence/adapters_internal.h"

namespace securescore::evidence {

namespace internal {

Error CurrentFailure(const AdapterContext& ctx, std::string_view name, std::string_view text,
                     ondemand::document* doc, std::string_view doc_text) {
  std::string pointer = ctx.path.ToPointer();
  std::string message;
  try {
    throw;
  } catch (const InputError& e) {
    pointer += e.pointer();
    message = e.what();
  } catch (const simdjson::simdjson_error& e) {
    message = DescribeJsonError(e.error());
    std::optional<std::size_t> offset;
    if (e.error() == simdjson::UTF8_ERROR) {
      offset = FirstInvalidUtf8(text);
    } else if (e.error() == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) {
      // Found before any value is read: the pointer is empty and the end is what is wrong.
      std::size_t end = text.find_last_not_of(" \t\r\n");
      offset = end == std::string_view::npos ? 0 : end + 1;
    } else if (ctx.chunk_doc) {
      const char* at = nullptr;
      if (ctx.chunk_doc->current_location().get(at) == simdjson::SUCCESS &&
          at >= ctx.chunk_buffer.data() &&
          at <= ctx.chunk_buffer.data() + ctx.chunk_buffer.size()) {
        offset = ctx.chunk_origin + static_cast<std::size_t>(at - ctx.chunk_buffer.data());
      }
    } else if (doc) {
      const char* at = nullptr;
      if (doc->current_location().get(at) == simdjson::SUCCESS && at >= doc_text.data() &&
          at <= doc_text.data() + doc_text.size()) {
        offset = static_cast<std::size_t>(at - doc_text.data());
        if (ctx.skeleton) offset = ctx.skeleton->ToOriginal(*offset);
      }
    }
    if (offset) message += " (at " + LineColumn(text, *offset) + ")";
  } catch (const std::bad_alloc&) {
    return Error{ErrorCode::kInternal, "out of memory while loading", std::string(name)};
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInternal, std::string("bug while loading: ") + e.what(),
                 std::string(name)};
  }
  std::string where(name);
  if (!pointer.empty()) where += ": " + pointer;
  return InvalidInput(std::move(message), std::move(where));
}

}  // namespace internal

void FinishAdapters(AdapterContext& ctx) {
  // Role names known only from the roleDefinitions source (custom roles), and template ids of
  // assignments that named a definition id.
  Status s = ctx.db.Exec(
      "UPDATE role_assignments SET role_template_id = (SELECT d.template_id FROM "
      "role_definitions d WHERE d.id = role_assignments.role_template_id AND d.template_id <> '' "
      "LIMIT 1) WHERE EXISTS (SELECT 1 FROM role_definitions d WHERE d.id = "
      "role_assignments.role_template_id AND d.template_id <> '');"
      "UPDATE role_assignments SET role_name = (SELECT d.display_name FROM role_definitions d "
      "WHERE d.template_id = role_assignments.role_template_id LIMIT 1) WHERE "
      "(role_name IS NULL OR role_name = '') AND EXISTS (SELECT 1 FROM role_definitions d "
      "WHERE d.template_id = role_assignments.role_template_id);"
      // The same assignment may arrive through roleAssignments and directoryRoles.
      "DELETE FROM role_assignments WHERE rowid NOT IN (SELECT min(rowid) FROM role_assignments "
      "GROUP BY principal_id, role_template_id, assignment_kind, directory_scope_id);");
  if (!s) throw std::logic_error(s.error().ToString());
  if (ctx.scubagear_user_roles) {
    if (ctx.graph_role_sources) {
      s = ctx.db.Exec("DELETE FROM user_roles WHERE via = 'scubagear'");
      if (!s) throw std::logic_error(s.error().ToString());
    } else {
      ctx.db.MarkCollected("user_roles");
    }
  }
}

Status MapSourceJson(SourceKind kind, std::string_view json, EvidenceDb& db,
                     std::vector<std::string>* warnings) {
  AdapterContext ctx(db);
  simdjson::padded_string text(json);
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  simdjson::ondemand::document* live = nullptr;
  try {
    if (Status s = db.Exec("BEGIN"); !s) return s;
    if (kind == SourceKind::kScubaGear) {
      ScubaGearFacts facts;
      MapScubaGearSource(json, ctx, facts);
    } else {
      doc = parser.iterate(text);
      live = &doc;
      simdjson::ondemand::object source = doc.get_object();
      if (kind == SourceKind::kGraph) {
        MapGraphSource(source, ctx);
      } else {
        MapPowerShellSource(source, ctx);
      }
    }
    FinishAdapters(ctx);
    if (Status s = db.Exec("COMMIT"); !s) return s;
  } catch (...) {
    Error error = internal::CurrentFailure(ctx, "source", text, live, text);
    (void)db.Exec("ROLLBACK");
    return error;
  }
  if (warnings) *warnings = std::move(ctx.warnings);
  return OkStatus();
}

}  // namespace securescore::evidence
