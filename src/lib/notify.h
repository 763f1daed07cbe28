/*
 * notify.h — telling systemd (Type=notify) where the server is: ready,
 * reloading, stopping. Without NOTIFY_SOCKET in the environment (not run
 * by systemd) each call does nothing.
 */
#ifndef ITSM_NOTIFY_H
#define ITSM_NOTIFY_H

/* Listening and serving: READY=1. */
void notify_ready(void);
/* A reload begins: RELOADING=1 (notify_ready when it is over). */
void notify_reloading(void);
/* The stop begins: STOPPING=1. */
void notify_stopping(void);

#endif
