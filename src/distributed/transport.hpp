// How workers and coordinators reach each other: CAF's middleman over plain TCP, or over TLS
// (libcaf_openssl) when certificates are given. One place decides which, for both ends.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/expected.hpp>
#include <cstdint>
#include <string>

namespace svcsim {

// PEM files. With a certificate, every connection is TLS and both ends prove who they are:
// each presents its certificate and checks the other's against `ca` (docs/distributed.md).
struct tls_options {
  std::string cert, key;  // this end's certificate and private key
  std::string ca;         // the authority that signed the other end's certificate
  bool enabled() const { return !cert.empty() || !key.empty() || !ca.empty(); }
  // What is missing for TLS ("--tls-key"), or "" when all three or none are given.
  std::string missing() const;
  // "" when the three files are PEM, the key unencrypted and the certificate's; else what is
  // wrong with which. libcaf_openssl would only fail (or hang) at the first connection.
  std::string check() const;
};

// Loads the middleman (and with TLS the openssl manager and its files) and our messages. This
// end sends heartbeats every `heartbeat_s` (below the other end's silence), and drops a
// connection whose other end stays silent for `silence_s` (a stopped process, a cable pulled),
// which its monitors then see go down. CAF 0.17 has no connect timeout: a handshake with a peer
// that accepts and never answers fails at the next heartbeat instead (sec::connection_timeout).
// So does, in CAF 0.17.6, a handshake whose answer comes after the connecting side's next
// heartbeat (it counts the peer silent since 1970): connect_worker() retries those, and a long
// heartbeat makes them rare.
void configure_transport(caf::actor_system_config& cfg, const tls_options& tls, double heartbeat_s,
                         double silence_s);

// The numeric address at which something accepts TCP connections to host:port within
// `timeout_s` (the first of the host's addresses that does), or `error` why none does.
// remote_actor() would wait minutes for an address that drops packets.
struct probed {
  std::string address, error;
};
probed probe(const std::string& host, std::uint16_t port, double timeout_s);

// `whom` published on `bind`:`port` (0: any free port); the port, or why not.
caf::expected<std::uint16_t> publish_worker(const caf::actor& whom, std::uint16_t port,
                                            const std::string& bind, const tls_options& tls);

// The worker published at host:port (after probe()), trying again after a handshake dropped as
// silent until `timeout_s` have passed.
caf::expected<caf::actor> connect_worker(caf::actor_system& sys, const std::string& host,
                                         std::uint16_t port, const tls_options& tls,
                                         double timeout_s);

}  // namespace svcsim
