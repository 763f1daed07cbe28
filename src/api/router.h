/*
 * router.h — from a request to its handler: match the route table, check
 * once what the route needs (authentication, role, size, content type,
 * JSON syntax), then call the handler or answer the error.
 */
#ifndef ITSM_ROUTER_H
#define ITSM_ROUTER_H

struct req;

/* Answer r: always replies exactly once. */
void router_dispatch(struct req *r);

#endif
