#include "distributed/transport.hpp"

#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
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
#include <memory>

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

std::string tls_options::check() const {
  const std::unique_ptr<SSL_CTX, void (*)(SSL_CTX*)> ctx(SSL_CTX_new(TLS_method()), SSL_CTX_free);
  if (!ctx) return "OpenSSL cannot start";
  // An encrypted key would make OpenSSL ask for its passphrase on the terminal: refuse it.
  SSL_CTX_set_default_passwd_cb(ctx.get(), [](char*, int, int, void*) { return 0; });
  const auto why = [] {
    char text[256] = "";
    ERR_error_string_n(ERR_get_error(), text, sizeof text);
    ERR_clear_error();
    return std::string(text);
  };
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), cert.c_str()) != 1)
    return "--tls-cert " + cert + " is not a PEM certificate (" + why() + ")";
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), key.c_str(), SSL_FILETYPE_PEM) != 1) {
    if (ERR_GET_REASON(ERR_peek_error()) == X509_R_KEY_VALUES_MISMATCH) {
      ERR_clear_error();
      return "--tls-key " + key + " is not the key of --tls-cert " + cert;
    }
    return "--tls-key " + key + " is not an unencrypted PEM private key (" + why() +
           "); svcsim cannot ask for a passphrase: decrypt it with 'openssl pkey -in " + key +
           " -out KEY'";
  }
  if (SSL_CTX_load_verify_locations(ctx.get(), ca.c_str(), nullptr) != 1)
    return "--tls-ca " + ca + " holds no PEM certificate (" + why() + ")";
  ERR_clear_error();
  return "";
}

void configure_transport(caf::actor_system_config& cfg, const tls_options& tls, double heartbeat_s,
                         double silence_s) {
  wire::add_messages(cfg);
  cfg.load<caf::io::middleman>();
  cfg.set("middleman.heartbeat-interval",
          caf::timespan{std::chrono::milliseconds(static_cast<long>(heartbeat_s * 1000))});
  // The network's actors do little work: two threads that sleep when idle, instead of one per
  // core polling for work, which took a core's worth from the runs.
  cfg.set("scheduler.max-threads", 2);
  cfg.set("work-stealing.aggressive-poll-attempts", 0);
  cfg.set("work-stealing.moderate-poll-attempts", 0);
  cfg.set("middleman.connection-timeout",
          caf::timespan{std::chrono::milliseconds(static_cast<long>(silence_s * 1000))});
  if (!tls.enabled()) return;
  cfg.load<caf::openssl::manager>();
  cfg.openssl_certificate = tls.cert;
  cfg.openssl_key = tls.key;
  cfg.openssl_cafile = tls.ca;
}

probed probe(const std::string& host, std::uint16_t port, double timeout_s) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int e = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found))
    return {"", std::string("cannot resolve the host: ") + gai_strerror(e)};
  probed out{"", "no address"};
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
    char numeric[NI_MAXHOST];
    if (error == 0 && getnameinfo(a->ai_addr, a->ai_addrlen, numeric, sizeof numeric, nullptr, 0,
                                  NI_NUMERICHOST) == 0) {
      out = {numeric, ""};
      break;
    }
    out.error = error == ETIMEDOUT
                    ? "no answer within " + std::to_string(static_cast<int>(timeout_s)) + " s"
                    : std::strerror(error);
  }
  freeaddrinfo(found);
  return out;
}

caf::expected<std::uint16_t> publish_worker(const caf::actor& whom, std::uint16_t port,
                                            const std::string& bind, const tls_options& tls) {
  if (tls.enabled()) return caf::openssl::publish(whom, port, bind.c_str(), true);
  return whom.home_system().middleman().publish(whom, port, bind.c_str(), true);
}

caf::expected<caf::actor> connect_worker(caf::actor_system& sys, const std::string& host,
                                         std::uint16_t port, const tls_options& tls,
                                         double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<long>(timeout_s * 1000));
  for (;;) {
    auto handle = tls.enabled() ? caf::openssl::remote_actor(sys, host, port)
                                : sys.middleman().remote_actor(host, port);
    if (handle || handle.error() != caf::sec::connection_timeout ||
        std::chrono::steady_clock::now() >= deadline)
      return handle;
  }
}

}  // namespace svcsim
