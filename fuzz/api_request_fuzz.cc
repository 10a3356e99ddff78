// Fuzz target for the API's request path: raw bytes are sent as one HTTP connection to an in-process
// `dfdg serve` (plain HTTP, sandbox systems, loopback, fresh SQLite file). The oracle, besides the sanitizers:
// the server never answers 500 (an unhandled error) and keeps answering /healthz.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "api/server.h"
#include "store/sqlite/sqlite_store.h"

namespace {

struct Harness {
  std::unique_ptr<dfdg::store::SqliteStore> store;
  dfdg::FixedClock clock{*dfdg::ParseDate("2025-09-15")};
  std::unique_ptr<dfdg::api::ApiServer> server;
  std::thread thread;
  int port = 0;

  Harness() {
    auto dir = std::filesystem::temp_directory_path() / ("dfdg-api-fuzz-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto catalog = dfdg::catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
    store = std::move(dfdg::store::SqliteStore::Open((dir / "f.db").string())).value();
    dfdg::api::ServeOptions options;
    options.config = dfdg::api::SandboxConfig();
    options.config.port = 0;
    options.config.limits.request_timeout_seconds = 2;
    options.plain_http = true;
    options.openapi_path = std::string(DFDG_SOURCE_DIR) + "/docs/openapi.json";
    options.access_rules_path = std::string(DFDG_SOURCE_DIR) + "/catalog/access.yaml";
    options.log_requests = false;
    server =
        std::move(dfdg::api::ApiServer::Create(
                      std::move(options), std::shared_ptr<const dfdg::catalog::Catalog>(std::move(catalog).value()),
                      store.get(), &clock))
            .value();
    port = *server->Bind();
    thread = std::thread([this] { server->Run(); });
  }
};

// Sends `request` on a new connection and returns everything the server answered.
std::string Exchange(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{0, 100000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    std::fprintf(stderr, "cannot connect to the server on port %d\n", port);
    std::abort();  // the server is gone
  }
  (void)!::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  // No half-close: the server treats a closed read side as a gone client. A request without
  // "Connection: close" is answered and then ends at the receive timeout.
  std::string answer;
  char buffer[4096];
  for (int i = 0; i < 64; ++i) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return answer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Harness* harness = new Harness();
  std::string request(reinterpret_cast<const char*>(data), size);
  std::string answer = Exchange(harness->port, request);
  if (std::getenv("DFDG_FUZZ_VERBOSE")) std::fprintf(stderr, "<<< %s\n", answer.c_str());
  if (answer.find("HTTP/1.1 500") != std::string::npos) {
    std::fprintf(stderr, "500 for input of %zu bytes:\n%s\n", size, answer.c_str());
    std::abort();
  }
  std::string health = Exchange(harness->port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  if (health.rfind("HTTP/1.1 200", 0) != 0) {
    std::fprintf(stderr, "/healthz failed after an input of %zu bytes: %s\n", size, health.c_str());
    std::abort();
  }
  return 0;
}
