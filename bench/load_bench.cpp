// Times compose::load() on a generated 200-service project, the size of a large real stack, and
// prints min / median / max and services per second.
//
//   bench_load [iterations=20] [services=200]
//   bench_load --emit [services=200]     prints the generated compose file instead
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compose/project.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kHeader = R"(name: bench
x-common: &common
  restart: unless-stopped
  logging:
    driver: json-file
    options:
      max-size: "10m"
      max-file: "3"
  labels:
    com.example.team: platform
    com.example.tier: "${TIER:-backend}"
services:
)";

constexpr const char* kFooter = R"(networks:
  front: {}
  back:
    internal: true
    ipam:
      config:
        - subnet: 172.28.0.0/16
volumes:
  shared: {}
)";

// A web-facing service: published ports, a list environment, a healthcheck and the shared anchor.
void web(std::ostream& out, int i) {
    out << "    <<: *common\n"
        << "    image: registry.example.com/web:${TAG:-1." << i % 7 << "}\n"
        << "    ports:\n      - \"" << 8000 + i << ":80\"\n      - \"127.0.0.1:" << 9000 + i
        << ":9000/tcp\"\n"
        << "    environment:\n      - MODE=production\n      - WORKERS=" << 2 + i % 4
        << "\n      - DEBUG\n"
        << "    healthcheck:\n      test: [\"CMD\", \"wget\", \"-qO-\", \"http://localhost/\"]\n"
        << "      interval: 10s\n      timeout: 3s\n      retries: 3\n      start_period: 5s\n"
        << "    networks: [front, back]\n";
}

// A background worker: a map environment, resource limits and a read-only bind mount.
void worker(std::ostream& out, int i) {
    out << "    <<: *common\n"
        << "    image: registry.example.com/worker@sha256:" << std::string(63, 'a') << i % 10
        << "\n    command: [\"worker\", \"--queue\", \"q" << i << "\"]\n"
        << "    environment:\n      QUEUE: q" << i << "\n      CONCURRENCY: " << 1 + i % 8
        << "\n      ENABLED: \"true\"\n"
        << "    volumes:\n      - ./config/worker" << i << ".ini:/etc/worker.ini:ro\n"
        << "      - shared:/srv/shared\n"
        << "    deploy:\n      resources:\n        limits:\n          cpus: \"0.5\"\n"
        << "          memory: 256M\n        reservations:\n          memory: 64M\n"
        << "    networks:\n      back:\n        aliases: [worker" << i << "]\n";
}

// A stateful service: a named volume, a port range, tmpfs and labels as a list.
void store(std::ostream& out, int i) {
    out << "    image: postgres:16-alpine\n"
        << "    ports:\n      - \"" << 20000 + i * 10 << "-" << 20000 + i * 10 + 5 << ":" << 7000
        << "-" << 7005 << "\"\n"
        << "    volumes:\n      - data" << i << ":/var/lib/postgresql/data\n"
        << "      - type: tmpfs\n        target: /run\n"
        << "    labels:\n      - com.example.role=store\n      - com.example.index=" << i << "\n"
        << "    healthcheck:\n      test: pg_isready -U postgres\n      interval: 5s\n"
        << "    ulimits:\n      nofile:\n        soft: 20000\n        hard: 40000\n"
        << "    networks: [back]\n";
}

// Every tenth service starts a new chain; the others wait for the one before, alternating the
// short and the long depends_on syntax.
void depends_on(std::ostream& out, int i) {
    if (i % 10 == 0) return;
    if (i % 2 == 0) {
        out << "    depends_on:\n      - svc" << i - 1 << "\n";
        return;
    }
    out << "    depends_on:\n      svc" << i - 1 << ":\n        condition: service_started\n"
        << "        restart: true\n";
}

std::string generate(int services) {
    std::ostringstream out;
    out << kHeader;
    for (int i = 0; i < services; ++i) {
        out << "  svc" << i << ":\n";
        switch (i % 3) {
            case 0:
                web(out, i);
                break;
            case 1:
                worker(out, i);
                break;
            default:
                store(out, i);
                break;
        }
        depends_on(out, i);
    }
    out << kFooter;
    for (int i = 2; i < services; i += 3) out << "  data" << i << ": {}\n";
    return out.str();
}

std::string make_project(int services) {
    char tmpl[] = "/tmp/berth-bench-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
        std::perror("mkdtemp");
        std::exit(1);
    }
    std::ofstream(fs::path(tmpl) / "compose.yaml") << generate(services);
    return tmpl;
}

double milliseconds(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "--emit") {
        std::fputs(generate(argc > 2 ? std::max(1, std::atoi(argv[2])) : 200).c_str(), stdout);
        return 0;
    }
    const int iterations = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
    const int services = argc > 2 ? std::max(1, std::atoi(argv[2])) : 200;
    const std::string dir = make_project(services);

    berth::compose::LoadOptions options;
    options.files = {dir + "/compose.yaml"};
    options.project_directory = dir;
    options.cwd = dir;
    options.os_env = {{"TAG", "2.4"}, {"HOME", "/root"}};

    std::vector<double> times;
    for (int i = 0; i < iterations; ++i) {
        auto start = Clock::now();
        auto project = berth::compose::load(options);
        times.push_back(milliseconds(Clock::now() - start));
        if (!project) {
            fs::remove_all(dir);
            std::fprintf(stderr, "bench_load: %s\n", project.error().message().c_str());
            return 1;
        }
    }
    fs::remove_all(dir);

    std::sort(times.begin(), times.end());
    const double median = times[times.size() / 2];
    std::printf(
        "load %d services x %d: min %.2f ms  median %.2f ms  max %.2f ms  %.0f services/s\n",
        services, iterations, times.front(), median, times.back(), services / (median / 1000.0));
    return 0;
}
