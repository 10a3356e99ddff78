#include "store/postgres/postgres_store.h"

#include <libpq-fe.h>

#include <cstring>

#include "store/postgres/pg_result.h"
#include "store/sqlite/fact_codec.h"

namespace dfdg::store {
namespace {

// A command writes fewer facts than this; command seqs are reserved in blocks of the same size.
constexpr int64_t kFactsPerCommand = 1000;

using pg::ResultPtr;
using pg::Wrap;

using pg::Failure;

int64_t ReadInt8(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return static_cast<int64_t>(v);
}

// Appends `bytes` as a bytea hex literal in COPY's text format.
void CopyBytes(std::string* out, std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  size_t at = out->size();
  out->resize(at + 3 + 2 * bytes.size());
  char* p = out->data() + at;
  *p++ = '\\';
  *p++ = '\\';
  *p++ = 'x';
  for (unsigned char c : bytes) {
    *p++ = kHex[c >> 4];
    *p++ = kHex[c & 15];
  }
}

void CopyInt(std::string* out, int64_t v) { out->append(std::to_string(v)); }

}  // namespace

void CopyTextForPg(std::string* out, std::string_view text) {
  // Runs without a character to escape are appended whole (the common case: no escape at all).
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char* escaped = nullptr;
    switch (text[i]) {
      case '\\':
        escaped = "\\\\";
        break;
      case '\t':
        escaped = "\\t";
        break;
      case '\n':
        escaped = "\\n";
        break;
      case '\r':
        escaped = "\\r";
        break;
      default:
        continue;
    }
    out->append(text.data() + start, i - start);
    out->append(escaped, 2);
    start = i + 1;
  }
  out->append(text.data() + start, text.size() - start);
}

namespace {

Result<PGconn*> Connect(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    std::string message = conn ? PQerrorMessage(conn) : "out of memory";
    while (!message.empty() && message.back() == '\n') message.pop_back();
    PQfinish(conn);
    return Status::IOError("cannot connect to PostgreSQL: " + message);
  }
  return conn;
}

}  // namespace

Result<std::unique_ptr<PostgresStore>> PostgresStore::OpenReplica(const std::string& url) {
  auto conn = Connect(url);
  if (!conn.ok()) return conn.status();
  return std::unique_ptr<PostgresStore>(new PostgresStore(*conn));
}

Result<std::string> PostgresStore::QueryValue(const std::string& sql) {
  auto r = Wrap(PQexec(conn_, sql.c_str()));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Failure(conn_, r.get());
  if (PQntuples(r.get()) == 0 || PQgetisnull(r.get(), 0, 0)) return std::string();
  return std::string(PQgetvalue(r.get(), 0, 0));
}

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url) {
  auto conn = Connect(url);
  if (!conn.ok()) return conn.status();
  std::unique_ptr<PostgresStore> store(new PostgresStore(*conn));
  Status s = store->Exec("SET client_min_messages = warning");
  if (s.ok()) s = store->Migrate();
  if (!s.ok()) return s;
  s = store->Exec(
      "CREATE TEMP TABLE staged_persons (cpr text, base bigint, version bigint, next_entity_id bigint, facts bytea)"
      " ON COMMIT DELETE ROWS");
  if (!s.ok()) return s;
  return store;
}

PostgresStore::~PostgresStore() {
  if (in_transaction_) Exec("ROLLBACK");
  PQfinish(conn_);
}

Status PostgresStore::Exec(const std::string& sql) {
  auto r = Wrap(PQexec(conn_, sql.c_str()));
  ExecStatusType st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Failure(conn_, r.get());
  return Status::Ok();
}

Status PostgresStore::Prefetch(const std::vector<std::string>& cprs) {
  if (cprs.empty()) return Status::Ok();
  std::string array = "{";
  for (const std::string& cpr : cprs) {
    // Digits (a CPR number) or lowercase letters (the registry subject "projekter", docs/decisions/0039): nothing
    // that needs quoting in the array literal below.
    if (cpr.empty() || cpr.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz") != std::string::npos)
      return Status::InvalidArgument("bad CPR");
    auto [slot, inserted] = prefetched_.try_emplace(cpr);
    if (!inserted) continue;  // a person named by several commands is loaded once
    slot->second.cpr = cpr;   // unknown persons: empty history, version 0
    if (array.size() > 1) array.push_back(',');
    array += cpr;
  }
  if (array.size() == 1) return Status::Ok();
  array.push_back('}');
  const char* params[] = {array.c_str()};
  auto r =
      Wrap(PQexecParams(conn_, "SELECT cpr, version, next_entity_id, facts FROM persons WHERE cpr = ANY($1::text[])", 1,
                        nullptr, params, nullptr, nullptr, 1));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
    prefetched_.clear();
    return Failure(conn_, r.get());
  }
  for (int row = 0; row < PQntuples(r.get()); ++row) {
    std::string cpr(PQgetvalue(r.get(), row, 0), static_cast<size_t>(PQgetlength(r.get(), row, 0)));
    registry::PersonHistory& history = prefetched_[cpr];
    history.version = ReadInt8(PQgetvalue(r.get(), row, 1));
    history.next_entity_id = ReadInt8(PQgetvalue(r.get(), row, 2));
    Status s =
        DecodeFacts(std::string_view(PQgetvalue(r.get(), row, 3), static_cast<size_t>(PQgetlength(r.get(), row, 3))),
                    &history.facts);
    if (!s.ok()) {
      prefetched_.clear();
      return Status::Corruption("person " + cpr.substr(0, 6) + "-****: " + s.message());
    }
  }
  return Status::Ok();
}

Result<std::vector<registry::PersonHistory>> PostgresStore::LoadPersons(const std::string& after, int64_t limit) {
  std::string max = std::to_string(limit);
  const char* params[] = {after.c_str(), max.c_str()};
  // Binary results (the facts column as its bytes); one round trip for the page.
  auto r = Wrap(PQexecParams(conn_,
                             "SELECT cpr, version, next_entity_id, facts FROM persons WHERE cpr > $1 "
                             "ORDER BY cpr LIMIT $2::bigint",
                             2, nullptr, params, nullptr, nullptr, 1));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Failure(conn_, r.get());
  std::vector<registry::PersonHistory> out;
  out.reserve(static_cast<size_t>(PQntuples(r.get())));
  for (int row = 0; row < PQntuples(r.get()); ++row) {
    registry::PersonHistory& history = out.emplace_back();
    history.cpr.assign(PQgetvalue(r.get(), row, 0), static_cast<size_t>(PQgetlength(r.get(), row, 0)));
    history.version = ReadInt8(PQgetvalue(r.get(), row, 1));
    history.next_entity_id = ReadInt8(PQgetvalue(r.get(), row, 2));
    Status s =
        DecodeFacts(std::string_view(PQgetvalue(r.get(), row, 3), static_cast<size_t>(PQgetlength(r.get(), row, 3))),
                    &history.facts);
    if (!s.ok()) return Status::Corruption("person " + history.cpr.substr(0, 6) + "-****: " + s.message());
  }
  return out;
}

Result<registry::PersonHistory> PostgresStore::LoadPerson(const std::string& cpr) {
  if (auto it = prefetched_.find(cpr); it != prefetched_.end()) {
    registry::PersonHistory history = std::move(it->second);
    prefetched_.erase(it);
    return history;
  }
  registry::PersonHistory history;
  history.cpr = cpr;
  const char* params[] = {cpr.c_str()};
  auto r = Wrap(PQexecParams(conn_, "SELECT version, next_entity_id, facts FROM persons WHERE cpr = $1", 1, nullptr,
                             params, nullptr, nullptr, 1));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Failure(conn_, r.get());
  if (PQntuples(r.get()) == 0) return history;  // unknown person: no facts yet
  history.version = ReadInt8(PQgetvalue(r.get(), 0, 0));
  history.next_entity_id = ReadInt8(PQgetvalue(r.get(), 0, 1));
  Status s = DecodeFacts(std::string_view(PQgetvalue(r.get(), 0, 2), static_cast<size_t>(PQgetlength(r.get(), 0, 2))),
                         &history.facts);
  if (!s.ok()) return Status::Corruption("person " + cpr.substr(0, 6) + "-****: " + s.message());
  return history;
}

namespace {

// Row `row` of a binary-format SELECT seq, id, cpr, registered_at, command, request, result FROM commands.
CommandRecord ReadCommand(const PGresult* r, int row) {
  auto text = [&](int col) {
    return std::string(PQgetvalue(r, row, col), static_cast<size_t>(PQgetlength(r, row, col)));
  };
  return CommandRecord{ReadInt8(PQgetvalue(r, row, 0)), text(1), text(2), text(3), text(4), text(5), text(6)};
}

// Appends `text` as one element of a PostgreSQL array literal: double-quoted, `"` and `\` escaped.
void ArrayElement(std::string* out, std::string_view text) {
  if (out->size() > 1) out->push_back(',');
  out->push_back('"');
  for (char c : text) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

Result<std::optional<CommandRecord>> PostgresStore::FindCommand(const std::string& id) {
  if (auto it = prefetched_commands_.find(id); it != prefetched_commands_.end()) return it->second;
  const char* params[] = {id.c_str()};
  auto r = Wrap(PQexecParams(conn_,
                             "SELECT seq, id, cpr, registered_at, command, request, result FROM commands WHERE id = $1",
                             1, nullptr, params, nullptr, nullptr, 1));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Failure(conn_, r.get());
  std::optional<CommandRecord> out;
  if (PQntuples(r.get()) == 1) out = ReadCommand(r.get(), 0);
  return out;
}

Status PostgresStore::PrefetchCommands(const std::vector<std::string>& ids) {
  std::string array = "{";
  for (const std::string& id : ids) {
    if (!prefetched_commands_.try_emplace(id).second) continue;  // unknown ids: std::nullopt
    ArrayElement(&array, id);
  }
  if (array.size() == 1) return Status::Ok();
  array.push_back('}');
  const char* params[] = {array.c_str()};
  auto r = Wrap(PQexecParams(
      conn_, "SELECT seq, id, cpr, registered_at, command, request, result FROM commands WHERE id = ANY($1::text[])", 1,
      nullptr, params, nullptr, nullptr, 1));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
    prefetched_commands_.clear();
    return Failure(conn_, r.get());
  }
  for (int row = 0; row < PQntuples(r.get()); ++row) {
    CommandRecord record = ReadCommand(r.get(), row);
    std::string id = record.id;
    prefetched_commands_[id] = std::move(record);
  }
  return Status::Ok();
}

Result<bool> PostgresStore::Begin() {
  auto r = Wrap(PQexec(conn_, "BEGIN; SELECT n FROM write_clock"));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
    Status failed = Failure(conn_, r.get());
    Exec("ROLLBACK");
    return failed;
  }
  in_transaction_ = true;
  clock_at_begin_ = std::atoll(PQgetvalue(r.get(), 0, 0));
  return clock_at_begin_ != clock_after_commit_;
}

Result<int64_t> PostgresStore::NextCommandSeq() {
  if (seq_next_ == seq_end_) {
    // Outside the batch transaction's fate: sequences are not transactional, a rolled-back block is a gap.
    auto r = Wrap(PQexec(conn_, "SELECT nextval('command_seq')"));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Failure(conn_, r.get());
    seq_next_ = std::atoll(PQgetvalue(r.get(), 0, 0));
    seq_end_ = seq_next_ + kFactsPerCommand;
  }
  return seq_next_++;
}

Status PostgresStore::Append(const std::string& cpr, int64_t expected_version, int64_t next_entity_id,
                             std::vector<registry::Fact>* facts, CommandRecord* command) {
  if (!in_transaction_) return Status::InvalidArgument("Append outside a transaction");
  if (facts->size() >= kFactsPerCommand) return Status::InvalidArgument("too many facts in one command");
  auto staged = staged_persons_.find(cpr);
  if (staged == staged_persons_.end()) {
    staged = staged_persons_.emplace(cpr, StagedPerson{expected_version, expected_version, next_entity_id, {}}).first;
  } else if (staged->second.new_version != expected_version) {
    return Status::Conflict("person was changed concurrently");
  }
  auto seq = NextCommandSeq();
  if (!seq.ok()) return seq.status();
  staged->second.new_version = expected_version + 1;
  staged->second.next_entity_id = next_entity_id;
  command->seq = *seq;
  std::string& c = command_rows_;
  CopyInt(&c, command->seq);
  c.push_back('\t');
  if (command->id.empty()) {
    c.append("\\N");
  } else {
    CopyTextForPg(&c, command->id);
  }
  const std::string* fields[] = {&cpr, &command->registered_at, &command->command, &command->request, &command->result};
  for (const std::string* field : fields) {
    c.push_back('\t');
    CopyTextForPg(&c, *field);
  }
  c.push_back('\n');
  int64_t index = 0;
  std::string encoded;
  for (registry::Fact& f : *facts) {
    f.command_seq = command->seq;
    f.seq = command->seq * kFactsPerCommand + index++;  // as in SQLite: increasing, no counter to keep
    encoded.clear();
    EncodeFact(f, &encoded);
    staged->second.new_facts += encoded;
    std::string& r = fact_rows_;
    CopyInt(&r, f.seq);
    r.push_back('\t');
    CopyTextForPg(&r, cpr);
    r.push_back('\t');
    CopyInt(&r, f.entity_id);
    r.push_back('\t');
    CopyInt(&r, f.command_seq);
    r.push_back('\t');
    CopyBytes(&r, encoded);
    r.push_back('\n');
  }
  return Status::Ok();
}

Status PostgresStore::Copy(const std::string& copy_sql, const std::string& rows) {
  if (rows.empty()) return Status::Ok();
  auto r = Wrap(PQexec(conn_, copy_sql.c_str()));
  if (PQresultStatus(r.get()) != PGRES_COPY_IN) return Failure(conn_, r.get());
  constexpr size_t kChunk = 1 << 20;
  for (size_t at = 0; at < rows.size(); at += kChunk) {
    size_t n = std::min(kChunk, rows.size() - at);
    if (PQputCopyData(conn_, rows.data() + at, static_cast<int>(n)) != 1) return Failure(conn_, nullptr);
  }
  if (PQputCopyEnd(conn_, nullptr) != 1) return Failure(conn_, nullptr);
  Status result = Status::Ok();
  while (PGresult* raw = PQgetResult(conn_)) {
    auto done = Wrap(raw);
    if (PQresultStatus(raw) != PGRES_COMMAND_OK && result.ok()) result = Failure(conn_, raw);
  }
  return result;
}

Status PostgresStore::FlushAll() {
  Status s = Copy("COPY commands (seq, id, cpr, registered_at, command, request, result) FROM STDIN", command_rows_);
  if (s.ok()) s = Copy("COPY facts (seq, cpr, entity_id, command_seq, payload) FROM STDIN", fact_rows_);
  // The outbox's seq (bigserial) is assigned here, in the order the messages were staged.
  if (s.ok()) {
    s = Copy("COPY outbox (id, command_seq, type, recipient_kind, recipient, cpr, created_on, payload, cause, state) "
             "FROM STDIN",
             outbox_rows_);
  }
  if (!s.ok() || staged_persons_.empty()) return s;
  // New persons go straight into `persons`; changed ones through the temporary table and one UPDATE.
  std::string rows, new_rows, updated = "{";
  int64_t updates = 0;
  for (const auto& [cpr, person] : staged_persons_) {
    std::string& out = person.base_version != 0 ? rows : new_rows;
    if (person.base_version != 0) {
      ++updates;
      ArrayElement(&updated, cpr);
    }
    CopyTextForPg(&out, cpr);
    if (person.base_version != 0) {
      out.push_back('\t');
      CopyInt(&out, person.base_version);
    }
    for (int64_t v : {person.new_version, person.next_entity_id}) {
      out.push_back('\t');
      CopyInt(&out, v);
    }
    out.push_back('\t');
    CopyBytes(&out, person.new_facts);
    out.push_back('\n');
  }
  if (updates > 0) {
    s = Copy("COPY staged_persons FROM STDIN", rows);
    if (!s.ok()) return s;
    // Under READ COMMITTED a row changed by a concurrent commit is re-checked against `version = base`
    // after that commit, so a lost update shows as a missing row here.
    // `p.cpr = ANY($1)` lets the planner find the rows by the primary key: the temporary table has no
    // statistics, and a hash join over a sequential scan of `persons` costs the whole table per commit.
    updated.push_back('}');
    const char* params[] = {updated.c_str()};
    auto r = Wrap(PQexecParams(conn_,
                               "UPDATE persons p SET version = s.version, next_entity_id = s.next_entity_id, "
                               "facts = p.facts || s.facts FROM staged_persons s "
                               "WHERE p.cpr = ANY($1::text[]) AND p.cpr = s.cpr AND p.version = s.base",
                               1, nullptr, params, nullptr, nullptr, 0));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) return Failure(conn_, r.get());
    if (std::atoll(PQcmdTuples(r.get())) != updates) return Status::Conflict("person was changed concurrently");
  }
  if (!new_rows.empty()) {
    s = Copy("COPY persons (cpr, version, next_entity_id, facts) FROM STDIN", new_rows);
    if (s.code() == Status::Code::kConflict) return Status::Conflict("person was created concurrently");
  }
  return s;
}

Status PostgresStore::Commit() {
  if (!in_transaction_) return Status::InvalidArgument("Commit outside a transaction");
  bool wrote = !staged_persons_.empty();
  Status s = FlushAll();
  int64_t clock = clock_at_begin_;
  if (s.ok() && wrote) {
    auto r = Wrap(PQexec(conn_, "UPDATE write_clock SET n = n + 1 RETURNING n"));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
      s = Failure(conn_, r.get());
    } else {
      clock = std::atoll(PQgetvalue(r.get(), 0, 0));
    }
  }
  if (s.ok()) s = FlushAudit();
  if (s.ok()) s = Exec("COMMIT");
  if (!s.ok()) {
    Rollback();
    return s;
  }
  in_transaction_ = false;
  staged_persons_.clear();
  prefetched_.clear();
  prefetched_commands_.clear();
  command_rows_.clear();
  fact_rows_.clear();
  outbox_rows_.clear();
  // Our cache is current only if nobody else committed during this transaction.
  clock_after_commit_ = (!wrote || clock == clock_at_begin_ + 1) ? clock : -1;
  return Status::Ok();
}

void PostgresStore::Rollback() {
  staged_persons_.clear();
  staged_audit_.clear();
  prefetched_.clear();
  prefetched_commands_.clear();
  command_rows_.clear();
  fact_rows_.clear();
  outbox_rows_.clear();
  if (in_transaction_) Exec("ROLLBACK");
  in_transaction_ = false;
  clock_after_commit_ = -1;
}

Result<int64_t> PostgresStore::Count(const std::string& table) {
  if (table != "persons" && table != "facts" && table != "commands") return Status::InvalidArgument("unknown table");
  auto r = Wrap(PQexec(conn_, ("SELECT COUNT(*) FROM " + table).c_str()));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return Failure(conn_, r.get());
  return static_cast<int64_t>(std::atoll(PQgetvalue(r.get(), 0, 0)));
}

}  // namespace dfdg::store
