// Load generator for `dfdg serve` (loopback only): keep-alive connections with mutual TLS.
//   api_load write DIR PERSONS_FILE CONNECTIONS [RATE]  — one POST /v1/Fravaer (Barsel from TODAY) per person
//   api_load read  DIR PERSONS_FILE CONNECTIONS SECONDS  — GET /v1/status over the persons, for SECONDS
//   api_load citizen DIR PERSONS_FILE CONNECTIONS SECONDS — GET /v1/Borgervisning (the citizen view, as Jobnet
//                                                           with DIR/jobnet.pem/.key) over the persons, for SECONDS
//   api_load health DIR PERSONS_FILE CONNECTIONS SECONDS  — GET /healthz as Jobnet, for SECONDS: no person, no
//                                                           audit row, so the HTTP + TLS floor of the same connections
// PORT (environment) is the server's port, or several comma-separated ports to spread the connections over.
// DIR holds ca.pem and jc-<municipality>.pem/.key; PERSONS_FILE is `dfdg serve --sandbox`'s persons list.
// RATE (requests/s, 0 = as fast as possible) paces the senders evenly. Prints one JSON line of results, with
// client_cpu_us: this generator's own CPU time (user + system, TLS and HTTP included) per answered request, so a
// run on one machine shows the client's share of the cores beside the server's.
#include <httplib.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Person {
  std::string cpr;
  std::string municipality;
};

using Clock = std::chrono::steady_clock;

// This process's CPU time so far (user + system), in microseconds.
double CpuMicros() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto us = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec); };
  return us(usage.ru_utime) + us(usage.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: api_load write|read|citizen|health DIR PERSONS CONNECTIONS [RATE|SECONDS]\n";
    return 2;
  }
  std::string mode = argv[1], dir = argv[2];
  if (mode != "write" && mode != "read" && mode != "citizen" && mode != "health") {
    std::cerr << "api_load: unknown mode '" << mode << "' (write, read, citizen or health)\n";
    return 2;
  }
  const std::string shown = mode;
  const bool health = mode == "health";
  const bool citizen = mode == "citizen" || health;  // both as Jobnet
  if (citizen) mode = "read";
  const char* read_path = health ? "/healthz" : citizen ? "/v1/Borgervisning" : "/v1/status";
  int connections = std::atoi(argv[4]);
  double extra = argc > 5 ? std::atof(argv[5]) : 0;
  // PORT may list several servers ("8443,8444"): connection t talks to the (t mod n)-th.
  std::vector<int> ports;
  {
    std::istringstream list(std::getenv("PORT") ? std::getenv("PORT") : "8443");
    std::string item;
    while (std::getline(list, item, ',')) ports.push_back(std::atoi(item.c_str()));
    if (ports.empty()) ports.push_back(8443);
  }
  std::string today = std::getenv("TODAY") ? std::getenv("TODAY") : "2025-09-15";
  std::vector<Person> persons;
  std::ifstream in(argv[3]);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    Person p;
    std::string m;
    fields >> p.cpr >> m;
    p.municipality = m.substr(m.find('=') + 1);
    persons.push_back(p);
  }
  std::vector<std::vector<double>> latencies(connections);
  std::atomic<long> ok{0}, failed{0};
  auto t0 = Clock::now();
  double cpu0 = CpuMicros();
  std::vector<std::thread> threads;
  for (int t = 0; t < connections; ++t) {
    threads.emplace_back([&, t] {
      std::map<std::string, std::unique_ptr<httplib::SSLClient>> clients;
      auto client = [&](const std::string& municipality) -> httplib::SSLClient& {
        auto& c = clients[municipality];
        if (!c) {
          std::string base = citizen ? dir + "/jobnet" : dir + "/jc-" + municipality;
          c = std::make_unique<httplib::SSLClient>("127.0.0.1", ports[static_cast<size_t>(t) % ports.size()],
                                                   base + ".pem", base + ".key");
          c->set_ca_cert_path((dir + "/ca.pem").c_str());
          c->enable_server_certificate_verification(true);
          c->set_keep_alive(true);
          c->set_tcp_nodelay(true);
          c->set_read_timeout(30);
        }
        return *c;
      };
      size_t n = 0;
      for (size_t i = t; i < persons.size() || mode == "read"; i += connections, ++n) {
        if (mode == "read" && std::chrono::duration<double>(Clock::now() - t0).count() > extra) break;
        const Person& p = persons[i % persons.size()];
        if (mode == "write" && extra > 0) {
          // Paced: this connection's n-th request is due at n * connections / rate.
          auto due = t0 + std::chrono::duration<double>(static_cast<double>(n) * connections / extra);
          std::this_thread::sleep_until(std::chrono::time_point_cast<Clock::duration>(due));
        }
        httplib::Headers headers{{"x-civilRegistrationIdentifier", p.cpr},
                                 {"x-requestId", "load-" + std::to_string(i)}};
        auto start = Clock::now();
        auto res = mode == "write" ? client(p.municipality)
                                         .Post("/v1/Fravaer", headers,
                                               "{\"reason\":8,\"start\":\"" + today + "\",\"end\":\"" + today + "\"}",
                                               "application/json")
                                   : client(p.municipality).Get(read_path, headers);
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        bool good = res && (mode == "write" ? res->status == 201 : res->status == 200);
        (good ? ok : failed)++;
        if (good) latencies[t].push_back(ms);
      }
    });
  }
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  double client_cpu_us = (CpuMicros() - cpu0) / static_cast<double>(std::max(ok.load(), 1L));
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double q) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(q * all.size()))];
  };
  std::printf(
      "{\"mode\":\"%s\",\"connections\":%d,\"ok\":%ld,\"failed\":%ld,\"seconds\":%.3f,\"per_second\":%.0f,"
      "\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"client_cpu_us\":%.0f}\n",
      shown.c_str(), connections, ok.load(), failed.load(), seconds, ok / seconds, pct(0.5), pct(0.99), client_cpu_us);
  return failed > 0 ? 1 : 0;
}
