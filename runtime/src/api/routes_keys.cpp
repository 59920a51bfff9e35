// API keys, the caller's identity, and the audit log.
#include "api/routes.hpp"
#include "api/views.hpp"

namespace secpilot::api {

void add_key_routes(server::Router& router, const Shared& shared) {
  auto store = shared.context->store;
  router.get("/v1/me", with_auth(shared, Permission::read, [](auto&, auto&, auto& who) {
               return server::Reply(server::json(200, {{"user", who.user},
                                                       {"role", store::to_string(who.role)},
                                                       {"keyId", who.key_id}}));
             }));
  router.post(
      "/v1/keys",
      with_auth(shared, Permission::administer, [store](auto& request, auto&, auto& who) {
        auto body = json_body(request);
        if (auto* bad = std::get_if<server::Response>(&body)) return server::Reply(*bad);
        const auto& object = std::get<boost::json::object>(body);
        const auto name = string_member(object, "name");
        const auto role = store::parse_role(string_member(object, "role", "reader"));
        if (name.empty() || !role)
          return server::Reply(
              server::problem(400,
                              "send {\"name\": \"...\", \"role\": \"owner|contributor|reader\", "
                              "\"user\": \"...\"}"));
        const auto user = string_member(object, "user", name);
        auto created = store->create_api_key(name, *role, user);
        if (!created) return server::Reply(problem_for(created.error()));
        auto audited = store->append_audit(
            {.actor = who.user,
             .action = "key.create",
             .target = created->key.id,
             .details = {{"name", name}, {"role", store::to_string(*role)}, {"user", user}}});
        (void)audited;
        auto view = key_view(created->key);
        view["secret"] = created->secret;  // shown once, never again
        return server::Reply(server::json(201, view));
      }));
  router.get("/v1/keys", with_auth(shared, Permission::administer, [store](auto&, auto&, auto&) {
               auto keys = store->list_keys();
               if (!keys) return server::Reply(problem_for(keys.error()));
               boost::json::array items;
               for (const auto& key : *keys)
                 items.push_back(key_view(key));
               return server::Reply(server::json(200, {{"value", std::move(items)}}));
             }));
  router.del(
      "/v1/keys/{id}",
      with_auth(shared, Permission::administer, [store](auto&, auto& params, auto& who) {
        auto revoked = store->revoke_key(params["id"]);
        if (!revoked) return server::Reply(problem_for(revoked.error()));
        auto audited = store->append_audit(
            {.actor = who.user, .action = "key.revoke", .target = std::string(params["id"])});
        (void)audited;
        return server::Reply(server::no_content());
      }));
  router.get("/v1/audit",
             with_auth(shared, Permission::administer, [store](auto& request, auto&, auto&) {
               store::AuditQuery query;
               query.actor = std::string(request.query_param("actor").value_or(""));
               query.action = std::string(request.query_param("action").value_or(""));
               query.target = std::string(request.query_param("target").value_or(""));
               if (auto limit = request.query_param("limit")) {
                 try {
                   query.limit = std::stoi(std::string(*limit));
                 } catch (const std::exception&) {
                   return server::Reply(server::problem(400, "limit must be a number"));
                 }
               }
               auto entries = store->list_audit(query);
               if (!entries) return server::Reply(problem_for(entries.error()));
               boost::json::array items;
               for (const auto& entry : *entries)
                 items.push_back(audit_view(entry));
               return server::Reply(server::json(200, {{"value", std::move(items)}}));
             }));
}

}  // namespace secpilot::api
