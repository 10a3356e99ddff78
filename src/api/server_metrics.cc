// GET /metrics: the Prometheus text of the server, the writer, the store and the outbox (docs/api.md).
#include "api/server_impl.h"

namespace dfdg::api {

std::string ApiServer::Impl::Metrics() {
  std::ostringstream out;
  std::lock_guard lock(metrics_mu);
  out << "# TYPE dfdg_http_requests_total counter\n";
  for (const auto& [key, n] : requests) {
    out << "dfdg_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << n << "\n";
  }
  out << "# TYPE dfdg_http_request_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < std::size(kBuckets); ++i) {
    cumulative += latency[i];
    out << "dfdg_http_request_seconds_bucket{le=\"" << kBuckets[i] << "\"} " << cumulative << "\n";
  }
  cumulative += latency[std::size(kBuckets)];
  out << "dfdg_http_request_seconds_bucket{le=\"+Inf\"} " << cumulative << "\n";
  out << "dfdg_http_request_seconds_sum " << latency_sum << "\ndfdg_http_request_seconds_count " << cumulative << "\n";
  const WriterStats& stats = writer->stats();
  out << "# TYPE dfdg_commits_total counter\ndfdg_commits_total " << stats.commits << "\n";
  out << "# TYPE dfdg_conflict_retries_total counter\ndfdg_conflict_retries_total " << stats.conflict_retries << "\n";
  out << "# TYPE dfdg_committed_commands_total counter\ndfdg_committed_commands_total " << stats.committed_commands
      << "\n";
  out << "# TYPE dfdg_parallel_commits_total counter\ndfdg_parallel_commits_total " << stats.parallel_commits << "\n";
  // Where the writer thread's time goes (docs/performance.md): its own steps and the registry's stages.
  const registry::StageTimes& stages = registry::ProcessStageTimes();
  const std::pair<const char*, uint64_t> seconds[] = {{"prepare", stats.prepare_ns},
                                                      {"read", stats.read_ns},
                                                      {"execute", stats.execute_ns},
                                                      {"respond", stats.respond_ns},
                                                      {"registry_parse", stages.parse_ns},
                                                      {"registry_load", stages.load_ns},
                                                      {"registry_validate", stages.validate_ns},
                                                      {"registry_write", stages.write_ns},
                                                      {"registry_audit", stages.before_commit_ns},
                                                      {"registry_commit", stages.commit_ns},
                                                      {"registry_commit_wait", stages.commit_wait_ns}};
  out << "# TYPE dfdg_writer_seconds_total counter\n";
  for (const auto& [stage, ns] : seconds) {
    out << "dfdg_writer_seconds_total{stage=\"" << stage << "\"} " << static_cast<double>(ns) / 1e9 << "\n";
  }
  const char* labels[] = {"1", "4", "16", "64", "256", "1024", "+Inf"};
  out << "# TYPE dfdg_commit_batch_size histogram\n";
  uint64_t c = 0;
  for (int i = 0; i < 7; ++i) {
    c += stats.batch_hist[i];
    out << "dfdg_commit_batch_size_bucket{le=\"" << labels[i] << "\"} " << c << "\n";
  }
  out << "# TYPE dfdg_rejections_total counter\n";
  for (const auto& [code, n] : rejections) out << "dfdg_rejections_total{code=\"" << code << "\"} " << n << "\n";
  out << "# TYPE dfdg_in_flight gauge\ndfdg_in_flight " << in_flight << "\n";
  // The reads' reader connections open (api/readers.h; 0: the reads run on the writer thread).
  out << "# TYPE dfdg_read_connections gauge\ndfdg_read_connections " << (readers ? readers->opened() : 0) << "\n";
  store::WriteWalMetrics(out);  // SQLite: commit times and WAL checkpoints (docs/storage.md "WAL checkpoints")
  // The outbox, as measured by the delivery thread after its last pass (docs/delivery.md "Dead-letter alert").
  const delivery::OutboxGauges& outbox = delivery::ProcessOutboxGauges();
  if (int64_t dead = outbox.dead; dead >= 0) {
    out << "# TYPE dfdg_outbox_dead_letters gauge\ndfdg_outbox_dead_letters " << dead << "\n";
    out << "# TYPE dfdg_outbox_pending gauge\ndfdg_outbox_pending " << outbox.pending << "\n";
    out << "# TYPE dfdg_outbox_dead_letter_alert gauge\ndfdg_outbox_dead_letter_alert "
        << (dead >= outbox.alert_at ? 1 : 0) << "\n";
  }
  return out.str();
}

}  // namespace dfdg::api
