/* sim_agents — the simulator's POST /v1/agents/login (docs/api/contract.md "Agents"): checks
 * an agent's password against the agents of its own store (seeded from the portfolio file's
 * "agents", docs/portfolio-format.md) with argon2id_verify. */
#ifndef RECAUDO_SIM_AGENTS_H
#define RECAUDO_SIM_AGENTS_H
#include "sim_routes.h"

void sim_post_agents_login(struct sim *s, const struct sim_call *c, struct sim_reply *r);
#endif
