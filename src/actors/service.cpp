#include "actors/service.hpp"

#include <caf/all.hpp>
#include <optional>
#include <type_traits>

#include "actors/frame_station.hpp"
#include "actors/lindley_station.hpp"
#include "actors/messages.hpp"
#include "actors/party.hpp"

namespace svcsim {
namespace {

// The actor's state is its station, built once the actor runs (CAF builds states empty).
template <class Station>
using station_actor = party_actor<std::optional<Station>>;

// Every message a service handles goes through here: the one place its events are counted.
template <class Station, class Msg>
no_response handle(station_actor<Station>* self, const Msg& m) {
  Station& st = *self->state;
  ++st.context()->status->events;
  st.on(m);
  return {};
}

template <class Station>
caf::behavior serve(station_actor<Station>* self, const run_context* ctx, int id) {
  ctx->guard(self);
  self->state.emplace(ctx, id, self);
  if constexpr (std::is_same_v<Station, lindley_station>)
    return self->serve(
        ctx->options.plain_caf, [self](const job_msg& m) { return handle(self, m); },
        [self](const arrivals_msg& m) { return handle(self, m); },
        [self](const reply_msg& m) { return handle(self, m); },
        [self](const wake_msg& m) { return handle(self, m); });
  else
    return self->serve(
        ctx->options.plain_caf, [self](const job_msg& m) { return handle(self, m); },
        [self](const reply_msg& m) { return handle(self, m); },
        [self](const wake_msg& m) { return handle(self, m); });
}

}  // namespace

caf::actor spawn_service(caf::actor_system& sys, const run_context* ctx, int id) {
  if (ctx->predictable(ctx->instances.service_of(id)))
    return sys.spawn(
        [ctx, id](station_actor<lindley_station>* self) { return serve(self, ctx, id); });
  return sys.spawn([ctx, id](station_actor<frame_station>* self) { return serve(self, ctx, id); });
}

}  // namespace svcsim
