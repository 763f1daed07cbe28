/*
 * notify.c — sd_notify(3) messages for a Type=notify unit (notify.h).
 * libsystemd does nothing when NOTIFY_SOCKET is unset; a failure to send is
 * logged at debug level and otherwise ignored: the server serves either way.
 */
#include "lib/notify.h"
#include "lib/log.h"

#include <systemd/sd-daemon.h>
#include <time.h>

static void send_state(const char *state)
{
	int rc = sd_notify(0, state);

	if (rc < 0)
		log_debug("msg=\"sd_notify failed\" state=%s err=%d", LOG_STR(state), rc);
}

void notify_ready(void)
{
	send_state("READY=1\nSTATUS=serving");
}

void notify_reloading(void)
{
	struct timespec ts;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	rc = sd_notifyf(0, "RELOADING=1\nSTATUS=reloading the configuration\nMONOTONIC_USEC=%llu",
			(unsigned long long)ts.tv_sec * 1000000ULL +
				(unsigned long long)ts.tv_nsec / 1000ULL);
	if (rc < 0)
		log_debug("msg=\"sd_notify failed\" state=RELOADING err=%d", rc);
}

void notify_stopping(void)
{
	send_state("STOPPING=1\nSTATUS=stopping");
}
