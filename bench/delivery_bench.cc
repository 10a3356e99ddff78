// Delivery throughput: N pending outbox messages in a fresh SQLite file (or a postgresql:// URL's empty
// schema), delivered by the delivery worker to a cpp-httplib receiver on loopback that answers 200 at once.
// Prints messages/second end to end (scan, sign, POST over a kept-alive connection, record the attempt in its
// own durable transaction). Usage: dfdg_delivery_bench N [DB]
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "delivery/worker.h"
#include "store/open_store.h"

int main(int argc, char** argv) {
  using namespace dfdg;
  int64_t n = argc > 1 ? std::atoll(argv[1]) : 10000;
  std::string db = argc > 2 ? argv[2] : (std::filesystem::temp_directory_path() / "dfdg_delivery_bench.db").string();
  if (argc <= 2) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  }
  auto opened = store::OpenStore(db);
  if (!opened.ok()) {
    std::cerr << opened.status().ToString() << "\n";
    return 1;
  }
  std::unique_ptr<store::Store> s = std::move(opened).value();
  for (int64_t done = 0; done < n;) {  // batches of 10,000 messages per transaction
    if (!s->Begin().ok()) return 1;
    std::vector<store::OutboxMessage> batch;
    for (int64_t i = 0; i < 10000 && done < n; ++i, ++done) {
      store::OutboxMessage m;
      m.command_seq = 1000 * (done + 1);
      m.id = std::to_string(m.command_seq) + "-1";
      m.type = "kontaktgruppe_skift";
      m.recipient_kind = "akasse";
      m.recipient = std::to_string(10 + done % 20);
      char cpr[16];
      std::snprintf(cpr, sizeof cpr, "%02d%02d80%04d", static_cast<int>(1 + done % 28),
                    static_cast<int>(1 + (done / 28) % 12), static_cast<int>(done % 10000));
      m.cpr = cpr;
      m.created_on = "2025-08-01";
      m.payload = R"({"change":"tilgang","contact_group":1,"start":"2025-08-01"})";
      m.cause =
          R"({"rule":"contact_group_to_akasse","legal_ref":"§ 16 stk. 7","source":["000_3808c1434fc20b2e.txt:666"]})";
      batch.push_back(std::move(m));
    }
    if (!s->AppendOutbox(&batch).ok() || !s->Commit().ok()) return 1;
  }
  httplib::Server receiver;
  std::atomic<int64_t> received{0};
  receiver.Post("/hook", [&](const httplib::Request&, httplib::Response& res) {
    ++received;
    res.set_content("{}", "application/json");
  });
  receiver.set_tcp_nodelay(true);
  int port = receiver.bind_to_any_port("127.0.0.1");
  std::thread listener([&] { receiver.listen_after_bind(); });
  while (!receiver.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  delivery::DeliveryConfig config;
  config.endpoints.push_back({"akasse", "*",
                              std::string("http://127.0.0.1:").append(std::to_string(port)).append("/hook"), "bench",
                              "bench-secret-0123456789abcdef", ""});
  delivery::Deliverer deliverer(config, s.get());
  auto start = std::chrono::steady_clock::now();
  delivery::PassReport report = deliverer.RunPass();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  receiver.stop();
  listener.join();
  std::printf("delivery: %lld messages delivered (%lld received) in %.2f s = %.0f messages/s (%s)\n",
              static_cast<long long>(report.delivered), static_cast<long long>(received.load()), seconds,
              static_cast<double>(report.delivered) / seconds, store::IsPostgresUrl(db) ? "PostgreSQL" : "SQLite");
  if (argc <= 2) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  }
  return report.delivered == n ? 0 : 1;
}
