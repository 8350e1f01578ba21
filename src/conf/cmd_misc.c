/* Global odds and ends: hostname, domain-name, interfaces (ASA sub-mode and
 * the PIX 6 one-line forms), the ravpn extensions, and the global mode
 * itself. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/conf_int.h"

static int h_hostname(struct pctx *p)
{
	if (p_need(p, 1, "host name") || p_end(p, 2))
		return -1;
	return p_str(p, 1, &p->c->hostname);
}

static int h_domain_name(struct pctx *p)
{
	if (p_need(p, 1, "domain name") || p_end(p, 2))
		return -1;
	return p_str(p, 1, &p->c->domain_name);
}

/* ---- interfaces ------------------------------------------------------------- */

static size_t iface_get(struct pctx *p, const char *hw)
{
	struct conf *c = p->c;
	size_t i = model_find_iface_hw(c, hw);
	if (i != SIZE_MAX)
		return i;
	struct conf_interface *f = model_grow(&c->ifaces, &c->n_ifaces, sizeof(*f));
	if (!f || !(f->hwname = strdup(hw))) {
		if (f)
			c->n_ifaces--;
		p_oom(p);
		return SIZE_MAX;
	}
	f->line = p->line;
	return c->n_ifaces - 1;
}

/* ASA: "interface HW" opens the interface sub-mode.
 * PIX: "interface HW SPEED [shutdown]" is complete on its own line. */
static int h_interface(struct pctx *p)
{
	if (p_need(p, 1, "interface name"))
		return -1;
	size_t i = iface_get(p, p_w(p, 1));
	if (i == SIZE_MAX)
		return -1;
	if (p_n(p) == 2) {
		p_enter(p, &mode_interface, i);
		return 0;
	}
	/* PIX: the speed/duplex word (auto, 10baset, 100full, ...) is not used */
	bool shut = p_is(p, 3, "shutdown");
	if (p_end(p, shut ? 4 : 3))
		return -1;
	p->c->ifaces[i].shutdown = shut;
	return 0;
}

static struct conf_interface *cur_if(struct pctx *p)
{
	return &p->c->ifaces[p_obj(p)];
}

static int set_nameif(struct pctx *p, size_t iface, size_t w)
{
	struct conf *c = p->c;
	size_t o = model_find_iface_nameif(c, p_w(p, w));
	if (o != SIZE_MAX && o != iface)
		return p_err(p, "nameif %s is already used by interface %s", p_w(p, w),
			     c->ifaces[o].hwname);
	return p_str(p, w, &c->ifaces[iface].nameif);
}

static int h_if_nameif(struct pctx *p)
{
	if (p_need(p, 1, "name") || p_end(p, 2))
		return -1;
	return set_nameif(p, p_obj(p), 1);
}

static int h_if_no_nameif(struct pctx *p)
{
	if (p_end(p, 2))
		return -1;
	model_free_str(&cur_if(p)->nameif);
	return 0;
}

/* security-level is kept in the model (show interface) but ravpn filters
 * nothing by it: the line is also reported as not used. */
static int h_if_security(struct pctx *p)
{
	unsigned long v;
	if (p_uint(p, 1, 0, 100, "security level", &v) || p_end(p, 2))
		return -1;
	cur_if(p)->security_level = (int)v;
	p_unused(p);
	return 0;
}

static int h_if_no_security(struct pctx *p)
{
	if (p_end(p, 2))
		return -1;
	cur_if(p)->security_level = 0;
	return 0;
}

static int addr_mask(struct pctx *p, size_t i, uint32_t *a, uint32_t *m)
{
	if (p_ip(p, i, a) || p_mask(p, i + 1, m))
		return -1;
	/* not the network or broadcast address (except on /31 and /32) */
	if (*m == 0 || (~*m > 1 && ((*a & ~*m) == 0 || (*a | *m) == 0xffffffff)))
		return p_err(p, "%s is not a host address in %s/%s", p_w(p, i), p_w(p, i),
			     p_w(p, i + 1));
	return 0;
}

/* ip address A M [standby S] */
static int h_if_ip(struct pctx *p)
{
	struct conf_interface *f = cur_if(p);
	uint32_t a, m, s;
	if (addr_mask(p, 2, &a, &m))
		return -1;
	if (p_is(p, 4, "standby")) {
		if (p_ip(p, 5, &s) || p_end(p, 6))
			return -1;
		p_warn(p, "the standby address is not used by ravpn (no failover)");
	} else if (p_end(p, 4)) {
		return -1;
	}
	f = cur_if(p);
	f->addr = a;
	f->mask = m;
	return 0;
}

static int h_if_no_ip(struct pctx *p)
{
	if (p_end(p, 3))
		return -1;
	cur_if(p)->addr = cur_if(p)->mask = 0;
	return 0;
}

static int h_if_shutdown(struct pctx *p)
{
	if (p_end(p, 1))
		return -1;
	cur_if(p)->shutdown = true;
	return 0;
}

static int h_if_no_shutdown(struct pctx *p)
{
	if (p_end(p, 2))
		return -1;
	cur_if(p)->shutdown = false;
	return 0;
}

static const struct conf_cmd interface_cmds[] = {
	{ "nameif", h_if_nameif, NULL },
	{ "no nameif", h_if_no_nameif, NULL },
	{ "security-level", h_if_security, NULL },
	{ "no security-level", h_if_no_security, NULL },
	{ "ip address", h_if_ip, NULL },
	{ "ip address dhcp", NULL, NULL },
	{ "ip address pppoe", NULL, NULL },
	{ "no ip address", h_if_no_ip, NULL },
	{ "shutdown", h_if_shutdown, NULL },
	{ "no shutdown", h_if_no_shutdown, NULL },
	{ "description", NULL, NULL },
	{ "speed", NULL, NULL },
	{ "duplex", NULL, NULL },
	{ "vlan", NULL, NULL },
	{ "management-only", NULL, NULL },
	{ "mac-address", NULL, NULL },
	{ "channel-group", NULL, NULL },
	{ "ipv6", NULL, NULL },
	{ "pppoe", NULL, NULL },
	{ "ospf", NULL, NULL },
	{ "rip", NULL, NULL },
	{ "igmp", NULL, NULL },
	{ "pim", NULL, NULL },
	{ "nve-only", NULL, NULL },
	{ "member-interface", NULL, NULL },
	{ "flowcontrol", NULL, NULL },
	{ "media-type", NULL, NULL },
	{ "lacp", NULL, NULL },
	{ "delay", NULL, NULL },
	{ "ddns", NULL, NULL },
	{ "dhcp", NULL, NULL },
	{ "dhcprelay", NULL, NULL },
	{ "zone-member", NULL, NULL },
	{ "switchport", NULL, NULL },
	{ "forward", NULL, NULL },
	{ "mtu", NULL, NULL },
	{ NULL, NULL, NULL },
};
const struct conf_mode mode_interface = { "interface", { interface_cmds }, false };

/* PIX: nameif HW NAME securityN */
static int h_pix_nameif(struct pctx *p)
{
	unsigned long lvl;
	if (p_need(p, 1, "hardware interface") || p_need(p, 2, "name") ||
	    p_need(p, 3, "security level") || p_end(p, 4))
		return -1;
	const char *s = p_w(p, 3);
	if (strncasecmp(s, "security", 8) != 0 || !parse_uint(s + 8, 100, &lvl))
		return p_err(p, "bad security level '%s' (expected security0-security100)", s);
	size_t i = iface_get(p, p_w(p, 1));
	if (i == SIZE_MAX || set_nameif(p, i, 2))
		return -1;
	p->c->ifaces[i].security_level = (int)lvl;
	return 0;
}

/* PIX: ip address NAMEIF A M */
static int h_pix_ip(struct pctx *p)
{
	uint32_t a, m;
	if (p_need(p, 2, "interface name"))
		return -1;
	size_t i = model_find_iface_nameif(p->c, p_w(p, 2));
	if (i == SIZE_MAX)
		return p_err(p, "ip address: no interface is named '%s'", p_w(p, 2));
	if (addr_mask(p, 3, &a, &m) || p_end(p, 5))
		return -1;
	p->c->ifaces[i].addr = a;
	p->c->ifaces[i].mask = m;
	return 0;
}

/* ---- timeout uauth ------------------------------------------------------------ */

/* "H:MM:SS" (hours unbounded as on the ASA, minutes and seconds below 60) */
static bool parse_hms(const char *s, unsigned *out)
{
	unsigned long h, m, sec;
	char hb[12], mb[3], sb[3];
	const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || !c2 || c1 == s || (size_t)(c1 - s) >= sizeof(hb) || c2 - c1 != 3 ||
	    strlen(c2 + 1) != 2)
		return false;
	memcpy(hb, s, (size_t)(c1 - s));
	hb[c1 - s] = 0;
	memcpy(mb, c1 + 1, 2);
	mb[2] = 0;
	memcpy(sb, c2 + 1, 3);
	if (!parse_uint(hb, 1193046, &h) || !parse_uint(mb, 59, &m) || !parse_uint(sb, 59, &sec))
		return false;
	*out = (unsigned)(h * 3600 + m * 60 + sec);
	return true;
}

/* timeout uauth H:MM:SS [absolute|inactivity]: how long an authenticated
 * (XAUTH) user stays in the uauth table; other timeouts are not used */
static int h_timeout_uauth(struct pctx *p)
{
	unsigned v;
	bool inact = false;
	if (p_need(p, 2, "H:MM:SS"))
		return -1;
	if (!parse_hms(p_w(p, 2), &v))
		return p_err(p, "bad uauth timeout '%s' (expected H:MM:SS)", p_w(p, 2));
	if (p_is(p, 3, "inactivity"))
		inact = true;
	else if (p_w(p, 3) && !p_is(p, 3, "absolute"))
		return p_err(p, "expected 'absolute' or 'inactivity', not '%s'", p_w(p, 3));
	if (p_end(p, p_w(p, 3) ? 4 : 3))
		return -1;
	p->c->uauth_timeout_sec = v;
	p->c->uauth_inactivity = inact;
	p->c->line_uauth_timeout = p->line;
	return 0;
}

/* ---- ravpn extensions --------------------------------------------------------- */

static int h_tun_name(struct pctx *p)
{
	if (p_need(p, 2, "interface name") || p_end(p, 3))
		return -1;
	const char *s = p_w(p, 2);
	size_t n = strlen(s);
	if (n == 0 || n > 15 ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != n)
		return p_err(p, "bad tun interface name '%s' (1-15 letters, digits, '-', '_', '.')",
			     s);
	if (p_str(p, 2, &p->c->tun_name))
		return -1;
	p->c->line_tun_name = p->line;
	return 0;
}

static int h_tun_mtu(struct pctx *p)
{
	unsigned long v;
	if (p_uint(p, 2, 576, 9000, "MTU", &v) || p_end(p, 3))
		return -1;
	p->c->tun_mtu = (unsigned)v;
	p->c->line_tun_mtu = p->line;
	return 0;
}

static int h_ravpn_other(struct pctx *p)
{
	if (p_need(p, 1, "keyword"))
		return -1;
	return p_err(p, "unknown ravpn command '%s' (tun-name, tun-mtu)", p_w(p, 1));
}

const struct conf_cmd cmds_global_misc[] = {
	{ "hostname", h_hostname, NULL },
	{ "domain-name", h_domain_name, NULL },
	{ "interface", h_interface, NULL },
	{ "nameif", h_pix_nameif, NULL },
	{ "ip address", h_pix_ip, NULL },
	{ "timeout uauth", h_timeout_uauth, NULL },
	{ "ravpn tun-name", h_tun_name, NULL },
	{ "ravpn tun-mtu", h_tun_mtu, NULL },
	{ "ravpn", h_ravpn_other, NULL },
	{ "no", NULL, NULL },
	{ NULL, NULL, NULL },
};

const struct conf_mode mode_global = {
	"global", { cmds_global_crypto, cmds_global_vpn, cmds_global_misc }, false
};
