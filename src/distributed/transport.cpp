#include "distributed/transport.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/publish.hpp>
#include <caf/openssl/remote_actor.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "distributed/messages.hpp"

namespace svcsim {

std::string tls_options::missing() const {
  if (!enabled()) return "";
  std::string out;
  for (const auto& [value, flag] :
       {std::pair{&cert, "--tls-cert"}, std::pair{&key, "--tls-key"}, std::pair{&ca, "--tls-ca"}})
    if (value->empty()) out += (out.empty() ? "" : ", ") + std::string(flag);
  return out;
}

void configure_transport(caf::actor_system_config& cfg, const tls_options& tls, double silence_s) {
  wire::add_messages(cfg);
  cfg.load<caf::io::middleman>();
  cfg.set("middleman.heartbeat-interval", caf::timespan{std::chrono::milliseconds(250)});
  cfg.set("middleman.connection-timeout",
          caf::timespan{std::chrono::milliseconds(static_cast<long>(silence_s * 1000))});
  if (!tls.enabled()) return;
  cfg.load<caf::openssl::manager>();
  cfg.openssl_certificate = tls.cert;
  cfg.openssl_key = tls.key;
  cfg.openssl_cafile = tls.ca;
}

std::string probe(const std::string& host, std::uint16_t port, double timeout_s) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int e = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found))
    return std::string("cannot resolve the host: ") + gai_strerror(e);
  std::string why = "no address";
  for (const addrinfo* a = found; a; a = a->ai_next) {
    const int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    int error = connect(fd, a->ai_addr, a->ai_addrlen) == 0 ? 0 : errno;
    if (error == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      const int ready = poll(&p, 1, static_cast<int>(timeout_s * 1000));
      socklen_t size = sizeof error;
      if (ready == 0)
        error = ETIMEDOUT;
      else if (ready < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0)
        error = errno;
    }
    close(fd);
    if (error == 0) {
      freeaddrinfo(found);
      return "";
    }
    why = error == ETIMEDOUT
              ? "no answer within " + std::to_string(static_cast<int>(timeout_s)) + " s"
              : std::strerror(error);
  }
  freeaddrinfo(found);
  return why;
}

caf::expected<std::uint16_t> publish_worker(const caf::actor& whom, std::uint16_t port,
                                            const std::string& bind, const tls_options& tls) {
  if (tls.enabled()) return caf::openssl::publish(whom, port, bind.c_str(), true);
  return whom.home_system().middleman().publish(whom, port, bind.c_str(), true);
}

caf::expected<caf::actor> connect_worker(caf::actor_system& sys, const std::string& host,
                                         std::uint16_t port, const tls_options& tls) {
  if (tls.enabled()) return caf::openssl::remote_actor(sys, host, port);
  return sys.middleman().remote_actor(host, port);
}

}  // namespace svcsim
