// Reading a file, telling what it is (snapshot, ScubaGear results, ScubaGear provider export),
// and driving the adapters inside one transaction. A load either yields every table or an
// Error: the half-filled database of a failed load is dropped with it.
#include "securescore/evidence/load.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>

#include "securescore/evidence/adapters.h"
#include "securescore/evidence/adapters_internal.h"
#include "securescore/evidence/derived.h"
#include "securescore/evidence/load_internal.h"

namespace securescore::evidence {
namespace {

namespace ondemand = simdjson::ondemand;

constexpr std::string_view kSnapshotSchema = "securescore.snapshot/1";

// DESIGN §2 state names an attestation may carry.
constexpr std::string_view kStates[] = {
    "to_address", "planned", "risk_accepted", "third_party", "alternate_mitigation", "reviewed"};

// Keys only a ScubaGear ProviderSettingsExport.json has at its top level.
bool IsProviderExportKey(std::string_view key) {
  for (std::string_view marker :
       {"baseline_version", "module_version", "tenant_id", "tenant_details", "timestamp_zulu",
        "conditional_access_policies", "scuba_config"}) {
    if (key == marker) return true;
  }
  return false;
}

// Which kind of document this is, from its top-level keys (stopping at the first decisive
// one, which in practice is the first key).
InputKind DetectKind(ondemand::object top) {
  bool snapshot_keys = false;
  for (ondemand::field field : top) {
    std::string_view key = field.unescaped_key();
    if (key == "schema") return InputKind::kSnapshot;
    if (key == "Raw") return InputKind::kScubaResults;
    if (IsProviderExportKey(key)) return InputKind::kScubaProviderExport;
    if (key == "sources" || key == "tenant" || key == "collectedAt") snapshot_keys = true;
  }
  if (snapshot_keys) {
    throw InputError("missing \"schema\": expected \"schema\": \"" + std::string(kSnapshotSchema) +
                     "\"");
  }
  throw InputError(
      "not a securescore snapshot (no \"schema\" key) nor a ScubaGear export (no "
      "\"Raw\" or \"tenant_id\" key)");
}

std::string_view ExpectString(ondemand::value value, std::string_view what) {
  ondemand::json_type type = value.type();
  if (type != ondemand::json_type::string) {
    throw InputError("expected " + std::string(what) + " (a string), got " +
                     std::string(TypeName(type)));
  }
  return value.get_string();
}

ondemand::object ExpectObject(ondemand::value value, std::string_view what) {
  ondemand::json_type type = value.type();
  if (type != ondemand::json_type::object) {
    throw InputError("expected " + std::string(what) + " (an object), got " +
                     std::string(TypeName(type)));
  }
  return value.get_object();
}

void ReadTenant(ondemand::object tenant, AdapterContext& ctx, TenantInfo& info) {
  for (ondemand::field field : tenant) {
    std::string_view key = field.unescaped_key();
    ctx.path.PushKey(key);
    ondemand::value v = field.value();
    if (KeyIs(key, "id")) {
      info.id = ExpectString(v, "the tenant id");
    } else if (KeyIs(key, "displayName")) {
      info.display_name = ExpectString(v, "the tenant name");
    } else if (KeyIs(key, "industry")) {
      if (!v.is_null()) info.industry = ExpectString(v, "an industry name");
    } else if (KeyIs(key, "licensedUserCount")) {
      if (v.type() != ondemand::json_type::number) {
        throw InputError("expected a number of licensed users, got " +
                         std::string(TypeName(v.type())));
      }
      info.licensed_user_count = v.get_int64();
    }
    ctx.path.Pop();
  }
}

void ReadAttestations(ondemand::value value, AdapterContext& ctx, std::vector<Attestation>& out) {
  ondemand::json_type type = value.type();
  if (type != ondemand::json_type::array) {
    throw InputError("expected an array of attestation objects, got " +
                     std::string(TypeName(type)));
  }
  std::size_t index = 0;
  for (ondemand::value item : value.get_array()) {
    ctx.path.PushIndex(index++);
    Attestation a;
    for (ondemand::field field : ExpectObject(item, "an attestation")) {
      std::string_view key = field.unescaped_key();
      ctx.path.PushKey(key);
      ondemand::value v = field.value();
      if (KeyIs(key, "control")) {
        a.control = ExpectString(v, "a control id");
      } else if (KeyIs(key, "state")) {
        a.state = ExpectString(v, "a state");
        if (std::find(std::begin(kStates), std::end(kStates), a.state) == std::end(kStates)) {
          throw InputError("unknown state \"" + a.state +
                           "\", expected one of to_address, planned, risk_accepted, "
                           "third_party, alternate_mitigation, reviewed");
        }
      } else if (KeyIs(key, "by")) {
        a.by = ExpectString(v, "who attests");
      } else if (KeyIs(key, "comment")) {
        if (!v.is_null()) a.comment = ExpectString(v, "a comment");
      } else if (KeyIs(key, "collectedAt")) {
        a.collected_at = ExpectString(v, "a date");
      }
      ctx.path.Pop();
    }
    if (a.control.empty()) throw InputError("missing \"control\": the control id attested");
    if (a.state.empty()) throw InputError("missing \"state\": the attested state");
    out.push_back(std::move(a));
    ctx.path.Pop();
  }
}

void ReadSources(ondemand::object sources, AdapterContext& ctx, LoadedEvidence& out,
                 ScubaGearFacts& facts) {
  for (ondemand::field field : sources) {
    std::string_view key = field.unescaped_key();
    ctx.path.PushKey(key);
    ondemand::value v = field.value();
    if (key == "graph") {
      MapGraphSource(ExpectObject(v, "Graph responses keyed by path"), ctx);
    } else if (key == "scubagear") {
      ondemand::object provider_export = ExpectObject(v, "a ScubaGear provider export");
      MapScubaGearSource(std::string_view(provider_export.raw_json()), ctx, facts);
    } else if (key == "powershell") {
      MapPowerShellSource(ExpectObject(v, "cmdlet outputs keyed by cmdlet name"), ctx);
    } else if (key == "attestations") {
      ReadAttestations(v, ctx, out.attestations);
    } else {
      ctx.warnings.push_back("unknown source \"" + std::string(key) + "\" ignored");
    }
    ctx.path.Pop();
  }
}

void ReadSnapshot(ondemand::object top, AdapterContext& ctx, LoadedEvidence& out,
                  ScubaGearFacts& facts) {
  for (ondemand::field field : top) {
    std::string_view key = field.unescaped_key();
    ctx.path.PushKey(key);
    ondemand::value v = field.value();
    if (key == "schema") {
      std::string_view schema = ExpectString(v, "the snapshot schema");
      if (schema != kSnapshotSchema) {
        throw InputError("unknown schema \"" + std::string(schema) + "\", expected " +
                         std::string(kSnapshotSchema));
      }
    } else if (key == "tenant") {
      ReadTenant(ExpectObject(v, "the tenant"), ctx, out.tenant);
    } else if (key == "collectedAt") {
      out.collected_at = ExpectString(v, "the collection time");
    } else if (key == "sources") {
      ReadSources(ExpectObject(v, "the sources"), ctx, out, facts);
    } else {
      ctx.warnings.push_back("unknown top-level key \"" + std::string(key) + "\" ignored");
    }
    ctx.path.Pop();
  }
}

void WriteTenantRow(const LoadedEvidence& out, AdapterContext& ctx) {
  TableWriter& w = ctx.writers["tenant"];
  w.Text(w.Column("tenant_id"), out.tenant.id);
  w.Text(w.Column("display_name"), out.tenant.display_name);
  w.Text(w.Column("industry"), out.tenant.industry);
  if (out.tenant.licensed_user_count > 0) {
    w.Int(w.Column("licensed_user_count"), out.tenant.licensed_user_count);
  }
  w.Text(w.Column("collected_at"), out.collected_at);
  w.Insert();
  ctx.db.MarkCollected("tenant");
}

// A read-only private mapping of a file followed by zeroed padding (simdjson reads up to
// SIMDJSON_PADDING bytes past the end), built by reserving anonymous memory for the whole span
// and mapping the file over its start.
class MappedFile : public InputWindow {
 public:
  static Result<std::unique_ptr<MappedFile>> Open(const std::string& path, std::size_t size) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return InvalidInput(std::string("cannot open the file: ") + std::strerror(errno), path);
    }
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t span = (size + simdjson::SIMDJSON_PADDING + page - 1) / page * page;
    void* base = ::mmap(nullptr, span, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    void* file = base == MAP_FAILED ? MAP_FAILED
                                    : ::mmap(base, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    int mmap_errno = errno;
    ::close(fd);
    if (file == MAP_FAILED) {
      if (base != MAP_FAILED) ::munmap(base, span);
      return InvalidInput(std::string("cannot map the file: ") + std::strerror(mmap_errno), path);
    }
    ::madvise(base, size, MADV_SEQUENTIAL);
    return std::unique_ptr<MappedFile>(new MappedFile(static_cast<char*>(base), size, span, page));
  }
  ~MappedFile() override { ::munmap(data_, span_); }

  std::string_view text() const { return {data_, size_}; }
  std::size_t capacity() const { return span_; }

  void ReleaseBefore(const char* position) override {
    // Keep a margin behind the reader: a row being built may still point a little way back.
    constexpr std::size_t kMargin = 1 << 20;
    if (position < data_ + released_ + kMargin || position > data_ + size_) return;
    std::size_t end = static_cast<std::size_t>(position - data_) - kMargin;
    end = end / page_ * page_;
    if (end <= released_) return;
    ::madvise(data_ + released_, end - released_, MADV_DONTNEED);
    released_ = end;
  }

 private:
  MappedFile(char* data, std::size_t size, std::size_t span, std::size_t page)
      : data_(data), size_(size), span_(span), page_(page) {}
  char* data_;
  std::size_t size_;
  std::size_t span_;
  std::size_t page_;
  std::size_t released_ = 0;
};

// Documents at least this large have their big Graph arrays parsed in pieces of about
// kChunkBytes (chunked_arrays.h), which bounds simdjson's index memory.
constexpr std::size_t kChunkMinDocument = 256u << 20;
constexpr std::size_t kChunkMinArray = 16u << 20;
constexpr std::size_t kChunkBytes = 16u << 20;

struct Chunking {
  std::size_t min_document = kChunkMinDocument;
  std::size_t min_array = kChunkMinArray;
  std::size_t piece = kChunkBytes;
};

// Loads a document held in a padded buffer; `text` is the JSON (BOM removed) within it.
Result<LoadedEvidence> LoadText(std::string_view text, std::size_t capacity, std::string_view name,
                                InputWindow* input = nullptr, Chunking chunking = {}) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return InvalidInput("the input is empty, expected a JSON object", std::string(name));
  }
  if (text.size() > simdjson::SIMDJSON_MAXSIZE_BYTES) {
    return InvalidInput("the input is larger than 4 GiB", std::string(name));
  }
  Result<std::unique_ptr<EvidenceDb>> db = EvidenceDb::Create();
  if (!db) return db.error();
  LoadedEvidence out;
  AdapterContext ctx(**db);
  ctx.input = input;
  ctx.original = text;
  std::optional<Skeleton> skeleton;
  if (text.size() >= chunking.min_document) {
    skeleton = Skeleton::Build(text, chunking.min_array, chunking.piece,
                               [](std::string_view source, std::string_view key) {
                                 return source == "graph" && IsStreamedGraphKey(key);
                               });
  }
  std::string_view doc_text = text;
  if (skeleton) {
    ctx.skeleton = &*skeleton;
    doc_text = std::string_view(skeleton->text().data(), skeleton->text().size());
    capacity = doc_text.size() + simdjson::SIMDJSON_PADDING;
  }
  ondemand::parser parser;
  ondemand::document doc;
  ondemand::document* live = nullptr;
  try {
    if (Status s = (*db)->Exec("BEGIN"); !s) return s.error();
    doc = parser.iterate(doc_text.data(), doc_text.size(), capacity);
    live = &doc;
    ondemand::json_type top_type = doc.type();
    if (top_type != ondemand::json_type::object) {
      throw InputError("expected a JSON object at the top level, got " +
                       std::string(TypeName(top_type)));
    }
    out.kind = DetectKind(doc.get_object());
    doc.rewind();
    ScubaGearFacts facts;
    switch (out.kind) {
      case InputKind::kSnapshot: ReadSnapshot(doc.get_object(), ctx, out, facts); break;
      case InputKind::kScubaResults:
        for (ondemand::field field : doc.get_object()) {
          if (field.unescaped_key().value() != "Raw") continue;
          ctx.path.PushKey("Raw");
          ondemand::object provider_export =
              ExpectObject(field.value(), "a ScubaGear provider export");
          MapScubaGearSource(std::string_view(provider_export.raw_json()), ctx, facts);
          ctx.path.Pop();
        }
        break;
      case InputKind::kScubaProviderExport: {
        ondemand::object top = doc.get_object();
        std::string_view whole = top.raw_json();
        MapScubaGearSource(whole, ctx, facts);
        break;
      }
    }
    // The walk above stops at the top-level object's closing brace; anything after it other
    // than whitespace means the file is not one JSON document.
    const char* end = nullptr;
    if (doc.current_location().get(end) == simdjson::SUCCESS &&
        end < doc_text.data() + doc_text.size()) {
      std::string_view rest(end, doc_text.data() + doc_text.size() - end);
      if (rest.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        std::size_t at = static_cast<std::size_t>(end - doc_text.data());
        if (skeleton) at = skeleton->ToOriginal(at);
        throw InputError("unexpected content after the top-level object (at " +
                         LineColumn(text, at) + ")");
      }
    }
    if (out.tenant.id.empty()) out.tenant.id = facts.tenant_id;
    if (out.tenant.display_name.empty()) out.tenant.display_name = facts.display_name;
    if (out.collected_at.empty()) out.collected_at = facts.collected_at;
    WriteTenantRow(out, ctx);
    FinishAdapters(ctx);
  } catch (...) {
    return internal::CurrentFailure(ctx, name, text, live, doc_text);
  }
  if (Status s = (*db)->CreateIndexes(/*derived=*/false); !s) return s.error();
  if (Status s = ComputeDerivedTables(**db); !s) return s.error();
  if (Status s = (*db)->CreateIndexes(/*derived=*/true); !s) return s.error();
  if (Status s = (*db)->Exec("COMMIT"); !s) return s.error();
  out.warnings = std::move(ctx.warnings);
  out.db = std::move(*db);
  return out;
}

// Where the UTF-8 byte-order mark some Windows tools write ends (0 when there is none).
std::size_t BomLength(std::string_view text) { return text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; }

}  // namespace

Result<LoadedEvidence> LoadEvidenceFile(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    return InvalidInput("cannot read the file: it does not exist", path);
  }
  if (fs::is_directory(status)) {
    return InvalidInput("is a directory, expected a JSON file", path);
  }
  std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return InvalidInput("cannot read the file: " + ec.message(), path);
  if (size == 0) return InvalidInput("the file is empty, expected a JSON object", path);
  if (size > simdjson::SIMDJSON_MAXSIZE_BYTES) {
    return InvalidInput("the file is larger than 4 GiB", path);
  }
  // Mapped rather than read: no copy of a large file, and pages already loaded can be dropped.
  Result<std::unique_ptr<MappedFile>> file = MappedFile::Open(path, size);
  if (!file) return file.error();
  std::string_view text = (*file)->text();
  std::size_t bom = BomLength(text);
  return LoadText(text.substr(bom), (*file)->capacity() - bom, path, file->get());
}

Result<LoadedEvidence> LoadEvidenceJsonInPieces(std::string_view json, std::string_view name,
                                                std::size_t min_array, std::size_t piece) {
  std::size_t bom = BomLength(json);
  simdjson::padded_string buffer(json.substr(bom));
  return LoadText(std::string_view(buffer.data(), buffer.size()),
                  buffer.size() + simdjson::SIMDJSON_PADDING, name, nullptr,
                  Chunking{0, min_array, piece});
}

Result<LoadedEvidence> LoadEvidenceJson(std::string_view json, std::string_view name) {
  std::size_t bom = BomLength(json);
  simdjson::padded_string buffer(json.substr(bom));
  return LoadText(std::string_view(buffer.data(), buffer.size()),
                  buffer.size() + simdjson::SIMDJSON_PADDING, name);
}

}  // namespace securescore::evidence
