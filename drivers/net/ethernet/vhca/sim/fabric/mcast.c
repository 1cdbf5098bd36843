// SPDX-License-Identifier: GPL-2.0
/*
 * Multicast groups of the fabric, as the SA's MCMemberRecord Set/Delete
 * make and change them, and the forwarding set the switch copies a
 * multicast packet to.
 *
 * A group has an MGID, an MLID (from VHCA_MLID_MIN up), the parameters
 * of its MCMemberRecord and its members: ports with their JoinState.
 * IPoIB's broadcast group of every partition (ff12:401b:<pkey>::ffff:ffff)
 * exists before anyone joins, for as long as some port has the P_Key;
 * any other group is created by the first join that gives its
 * parameters and deleted with its last member.
 *
 * Writers hold &vhca_fabric.lock. Forwarding reads without it: the
 * MLID -> group xarray and each group's forwarding set (the ports of the
 * members that receive: full and non members) are published with RCU.
 * A port that leaves ACTIVE or is unplugged is removed at once; unplugging
 * waits for an RCU grace period before the port's memory can go.
 */

#include <linux/debugfs.h>
#include <linux/rculist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../vhca_sim.h"
#include "fabric.h"
#include "sa_rec.h"
#include "wire.h"

/**
 * struct vhca_mcast_member - a port in a group
 * @node: in &vhca_mcast_group.members
 * @port: the port
 * @join_state: VHCA_JOIN_* bits, never 0
 */
struct vhca_mcast_member {
	struct list_head node;
	struct vhca_sim_port *port;
	u8 join_state;
};

/**
 * struct vhca_mcast_fwd - the ports a group's packets are copied to
 * @rcu: freed after the readers
 * @num: entries in @ports
 * @ports: the ports, each once
 */
struct vhca_mcast_fwd {
	struct rcu_head rcu;
	unsigned int num;
	struct vhca_sim_port *ports[];
};

/**
 * struct vhca_mcast_group - a multicast group
 * @rcu: freed after the readers of &vhca_mcast.by_mlid
 * @node: in &vhca_mcast.groups
 * @rec: its MCMemberRecord, PortGID and JoinState zero
 * @bcast: a partition's pre-created broadcast group
 * @members: struct vhca_mcast_member
 * @fwd: forwarding set, RCU; NULL when nobody receives
 *
 * Everything but @fwd's readers is under &vhca_fabric.lock.
 */
struct vhca_mcast_group {
	struct rcu_head rcu;
	struct list_head node;
	struct vhca_sa_mcm_rec rec;
	bool bcast;
	struct list_head members;
	struct vhca_mcast_fwd __rcu *fwd;
};

static const u8 vhca_mgid_zero[16];

static struct vhca_mcast_group *vhca_mcast_find(struct vhca_fabric *fab,
						const u8 *mgid)
{
	struct vhca_mcast_group *g;

	list_for_each_entry(g, &fab->mcast.groups, node)
		if (!memcmp(g->rec.mgid, mgid, sizeof(g->rec.mgid)))
			return g;
	return NULL;
}

static struct vhca_mcast_member *vhca_mcast_member(struct vhca_mcast_group *g,
						   struct vhca_sim_port *port)
{
	struct vhca_mcast_member *m;

	list_for_each_entry(m, &g->members, node)
		if (m->port == port)
			return m;
	return NULL;
}

/* Publish the group's forwarding set from its members. Without memory
 * the set becomes empty (never stale: it may not keep a removed port).
 */
static int vhca_mcast_fwd_update(struct vhca_fabric *fab,
				 struct vhca_mcast_group *g)
{
	struct vhca_mcast_fwd *fwd = NULL, *old;
	struct vhca_mcast_member *m;
	unsigned int n = 0;
	int err = 0;

	list_for_each_entry(m, &g->members, node)
		if (m->join_state & VHCA_JOIN_RECEIVERS)
			n++;
	if (n) {
		fwd = kzalloc(struct_size(fwd, ports, n), GFP_KERNEL);
		if (fwd) {
			list_for_each_entry(m, &g->members, node)
				if (m->join_state & VHCA_JOIN_RECEIVERS)
					fwd->ports[fwd->num++] = m->port;
		} else {
			fab->mcast.no_mem++;
			err = -ENOMEM;
		}
	}
	old = rcu_replace_pointer(g->fwd, fwd, lockdep_is_held(&fab->lock));
	if (old)
		kfree_rcu(old, rcu);
	return err;
}

static void vhca_mcast_group_free(struct vhca_fabric *fab,
				  struct vhca_mcast_group *g)
{
	struct vhca_mcast_member *m, *tmp;
	struct vhca_mcast_fwd *fwd;

	list_for_each_entry_safe(m, tmp, &g->members, node) {
		list_del(&m->node);
		kfree(m);
	}
	xa_erase(&fab->mcast.by_mlid, g->rec.mlid);
	list_del(&g->node);
	fwd = rcu_replace_pointer(g->fwd, NULL, lockdep_is_held(&fab->lock));
	if (fwd)
		kfree_rcu(fwd, rcu);
	kfree_rcu(g, rcu);
	fab->mcast.deleted++;
}

/* a group with @rec's parameters and the lowest free MLID; no members */
static struct vhca_mcast_group *
vhca_mcast_group_new(struct vhca_fabric *fab, const struct vhca_sa_mcm_rec *rec,
		     bool bcast, u8 *sa_err)
{
	struct vhca_mcast_group *g;
	u32 mlid;
	int err;

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		goto no_mem;
	g->rec = *rec;
	memset(g->rec.port_gid, 0, sizeof(g->rec.port_gid));
	g->rec.join_state = 0;
	g->rec.proxy_join = false;
	g->bcast = bcast;
	INIT_LIST_HEAD(&g->members);
	err = xa_alloc(&fab->mcast.by_mlid, &mlid, g,
		       XA_LIMIT(VHCA_MLID_MIN, VHCA_MLID_MAX), GFP_KERNEL);
	if (err) {
		kfree(g);
		if (err == -ENOMEM)
			goto no_mem;
		fab->mcast.no_mlid++;
		*sa_err = VHCA_SA_ERR_NO_RESOURCES;
		return NULL;
	}
	g->rec.mlid = mlid;
	list_add_tail(&g->node, &fab->mcast.groups);
	fab->mcast.created++;
	return g;

no_mem:
	fab->mcast.no_mem++;
	*sa_err = VHCA_SA_ERR_NO_RESOURCES;
	return NULL;
}

/* the broadcast group of a partition, created if missing */
static void vhca_mcast_bcast_ensure(struct vhca_fabric *fab, u16 pkey)
{
	struct vhca_sa_mcm_rec rec = {
		.qkey = VHCA_SA_BCAST_QKEY,
		.mtu_sel = VHCA_SA_SEL_EQ,
		.mtu = VHCA_SA_MTU,
		.pkey = pkey | VHCA_PKEY_MEMBER,
		.rate_sel = VHCA_SA_SEL_EQ,
		.rate = VHCA_SA_RATE,
		.plt_sel = VHCA_SA_SEL_EQ,
		.plt = VHCA_SA_PLT,
		.sl = VHCA_FABRIC_SM_SL,
		.scope = VHCA_SA_SCOPE_LINK,
	};
	u8 err;

	vhca_sa_bcast_mgid(pkey, rec.mgid);
	if (!vhca_mcast_find(fab, rec.mgid))
		vhca_mcast_group_new(fab, &rec, true, &err);
}

/* does any cabled port have the partition of @pkey? */
static bool vhca_mcast_pkey_in_use(struct vhca_fabric *fab, u16 pkey)
{
	struct vhca_sim_port *port;

	list_for_each_entry(port, &fab->sw.ports, node)
		if (vhca_sa_port_pkey(port, pkey))
			return true;
	return false;
}

/* members changed: a group goes with its last member unless broadcast */
static void vhca_mcast_group_changed(struct vhca_fabric *fab,
				     struct vhca_mcast_group *g)
{
	if (list_empty(&g->members) && !g->bcast)
		vhca_mcast_group_free(fab, g);
	else
		vhca_mcast_fwd_update(fab, g);
}

static void vhca_mcast_member_del(struct vhca_fabric *fab,
				  struct vhca_mcast_group *g,
				  struct vhca_mcast_member *m)
{
	list_del(&m->node);
	kfree(m);
	vhca_mcast_group_changed(fab, g);
}

/**
 * vhca_mcast_pkeys_changed - follow the ports' P_Key tables
 * @fab: the fabric, lock held
 *
 * Called when the SM has pushed a port's P_Key table. Every partition a
 * port has gets its broadcast group; members whose port lost the
 * group's partition leave it; broadcast groups of partitions no port has
 * any more go (the default partition's stays).
 */
void vhca_mcast_pkeys_changed(struct vhca_fabric *fab)
{
	struct vhca_mcast_member *m, *mtmp;
	struct vhca_mcast_group *g, *gtmp;
	struct vhca_sim_port *port;
	unsigned int i;
	bool changed;

	lockdep_assert_held(&fab->lock);
	list_for_each_entry(port, &fab->sw.ports, node)
		for (i = 0; i < VHCA_MAX_PKEYS; i++)
			if (port->pkeys[i])
				vhca_mcast_bcast_ensure(fab, port->pkeys[i]);

	list_for_each_entry_safe(g, gtmp, &fab->mcast.groups, node) {
		changed = false;
		list_for_each_entry_safe(m, mtmp, &g->members, node) {
			if (vhca_sa_port_pkey(m->port, g->rec.pkey))
				continue;
			fab->mcast.removed++;
			list_del(&m->node);
			kfree(m);
			changed = true;
		}
		if (changed)
			vhca_mcast_group_changed(fab, g);
	}

	list_for_each_entry_safe(g, gtmp, &fab->mcast.groups, node) {
		if (!g->bcast || !list_empty(&g->members) ||
		    (g->rec.pkey & VHCA_PKEY_BASE_MASK) == VHCA_PKEY_BASE_MASK ||
		    vhca_mcast_pkey_in_use(fab, g->rec.pkey))
			continue;
		vhca_mcast_group_free(fab, g);
	}
}

/**
 * vhca_mcast_port_down - a port leaves ACTIVE or is unplugged
 * @fab: the fabric, lock held
 * @port: the port
 *
 * The port leaves every group (groups left empty go, broadcast groups
 * stay). Forwarding may still hold the port until an RCU grace period
 * has passed: whoever frees the port synchronizes first.
 */
void vhca_mcast_port_down(struct vhca_fabric *fab, struct vhca_sim_port *port)
{
	struct vhca_mcast_group *g, *tmp;
	struct vhca_mcast_member *m;

	lockdep_assert_held(&fab->lock);
	list_for_each_entry_safe(g, tmp, &fab->mcast.groups, node) {
		m = vhca_mcast_member(g, port);
		if (!m)
			continue;
		fab->mcast.removed++;
		vhca_mcast_member_del(fab, g, m);
	}
}

/* the selector a component is compared with: EQ if not given */
static u8 vhca_mcast_sel(u64 mask, u64 sel_bit, u8 sel)
{
	return mask & sel_bit ? sel : VHCA_SA_SEL_EQ;
}

/* do the components a join gives agree with the group? */
static bool vhca_mcast_params_match(const struct vhca_sa_mcm_rec *g,
				    const struct vhca_sa_mcm_rec *req, u64 mask)
{
	if ((mask & VHCA_MCM_COMP_QKEY) && req->qkey != g->qkey)
		return false;
	if ((mask & VHCA_MCM_COMP_MLID) && req->mlid != g->mlid)
		return false;
	if ((mask & VHCA_MCM_COMP_MTU) &&
	    !vhca_sa_selector_ok(vhca_mcast_sel(mask, VHCA_MCM_COMP_MTU_SEL,
						req->mtu_sel), req->mtu, g->mtu))
		return false;
	if ((mask & VHCA_MCM_COMP_TCLASS) && req->tclass != g->tclass)
		return false;
	if ((mask & VHCA_MCM_COMP_PKEY) &&
	    (req->pkey & VHCA_PKEY_BASE_MASK) !=
	    (g->pkey & VHCA_PKEY_BASE_MASK))
		return false;
	if ((mask & VHCA_MCM_COMP_RATE) &&
	    !vhca_sa_selector_ok(vhca_mcast_sel(mask, VHCA_MCM_COMP_RATE_SEL,
						req->rate_sel),
				 vhca_sa_rate_mbps(req->rate),
				 vhca_sa_rate_mbps(g->rate)))
		return false;
	if ((mask & VHCA_MCM_COMP_PLT) &&
	    !vhca_sa_selector_ok(vhca_mcast_sel(mask, VHCA_MCM_COMP_PLT_SEL,
						req->plt_sel), req->plt, g->plt))
		return false;
	if ((mask & VHCA_MCM_COMP_SL) && req->sl != g->sl)
		return false;
	if ((mask & VHCA_MCM_COMP_FLOW_LABEL) && req->flow_label != g->flow_label)
		return false;
	if ((mask & VHCA_MCM_COMP_HOP_LIMIT) && req->hop_limit != g->hop_limit)
		return false;
	if ((mask & VHCA_MCM_COMP_SCOPE) && req->scope != g->scope)
		return false;
	return true;
}

/* The parameters of a group a join creates: what it gave, our values for
 * the rest. MTU, rate and packet life time must be ours or satisfiable
 * by ours through the selector.
 */
static bool vhca_mcast_params_new(struct vhca_sa_mcm_rec *rec,
				  const struct vhca_sa_mcm_rec *req, u64 mask)
{
	struct vhca_sa_mcm_rec ours = {
		.mtu = VHCA_SA_MTU,
		.rate = VHCA_SA_RATE,
		.plt = VHCA_SA_PLT,
	};
	u8 scope = req->mgid[1] & 0xf;

	if ((mask & VHCA_MCM_COMP_SCOPE) && req->scope != scope)
		return false;
	if (!vhca_mcast_params_match(&ours, req,
				     mask & (VHCA_MCM_COMP_MTU |
					     VHCA_MCM_COMP_MTU_SEL |
					     VHCA_MCM_COMP_RATE |
					     VHCA_MCM_COMP_RATE_SEL |
					     VHCA_MCM_COMP_PLT |
					     VHCA_MCM_COMP_PLT_SEL)))
		return false;
	memset(rec, 0, sizeof(*rec));
	memcpy(rec->mgid, req->mgid, sizeof(rec->mgid));
	rec->qkey = req->qkey;
	rec->mtu_sel = VHCA_SA_SEL_EQ;
	rec->mtu = VHCA_SA_MTU;
	rec->tclass = req->tclass;
	rec->pkey = req->pkey | VHCA_PKEY_MEMBER;
	rec->rate_sel = VHCA_SA_SEL_EQ;
	rec->rate = VHCA_SA_RATE;
	rec->plt_sel = VHCA_SA_SEL_EQ;
	rec->plt = VHCA_SA_PLT;
	rec->sl = req->sl;
	rec->flow_label = req->flow_label;
	rec->hop_limit = (mask & VHCA_MCM_COMP_HOP_LIMIT) ? req->hop_limit : 0;
	rec->scope = scope;
	return true;
}

/* a join without an MGID: ff1<scope>:a01b:<pkey>::<n>, as OpenSM does */
static void vhca_mcast_make_mgid(struct vhca_fabric *fab, u16 pkey, u8 scope,
				 u8 *mgid)
{
	u32 n;

	pkey |= VHCA_PKEY_MEMBER;

	do {
		n = ++fab->mcast.next_mgid;
		memset(mgid, 0, 16);
		mgid[0] = VHCA_MGID_PREFIX;
		mgid[1] = 0x10 | (scope & 0xf);
		mgid[2] = 0xa0;
		mgid[3] = 0x1b;
		mgid[4] = pkey >> 8;
		mgid[5] = pkey & 0xff;
		mgid[12] = n >> 24;
		mgid[13] = n >> 16;
		mgid[14] = n >> 8;
		mgid[15] = n;
	} while (vhca_mcast_find(fab, mgid));
}

/* the record a member gets back: the group's, with its PortGID and state */
static void vhca_mcast_member_rec(const struct vhca_mcast_group *g,
				  const struct vhca_sim_port *port, u8 state,
				  struct vhca_sa_mcm_rec *out)
{
	*out = g->rec;
	vhca_sa_port_gid(port, out->port_gid);
	out->join_state = state;
}

/**
 * vhca_mcast_join - MCMemberRecord Set: a port joins a group
 * @fab: the fabric, lock held
 * @port: the requester (the port the request came from), NULL if unknown
 * @req: the record of the request
 * @mask: its ComponentMask (VHCA_MCM_COMP_*)
 * @out: the group's record for the member, on success
 *
 * PortGID names the member, an ACTIVE port with the group's P_Key; only
 * the port itself joins unless ProxyJoin is set. An existing group must
 * agree with every component given; a missing one is created when the
 * join gives Q_Key, P_Key, SL, FlowLabel and TClass and is a full (or
 * send-only full) member. An MGID of zero makes one up.
 *
 * Return: 0 or a VHCA_SA_ERR_* code.
 */
u8 vhca_mcast_join(struct vhca_fabric *fab, struct vhca_sim_port *port,
		   const struct vhca_sa_mcm_rec *req, u64 mask,
		   struct vhca_sa_mcm_rec *out)
{
	u8 state = req->join_state & VHCA_JOIN_ALL;
	struct vhca_sa_mcm_rec rec, creq = *req;
	struct vhca_mcast_member *m;
	struct vhca_mcast_group *g = NULL;
	struct vhca_sim_port *member;
	u8 err = 0, old;
	bool fresh = false;

	lockdep_assert_held(&fab->lock);
	if (!(mask & VHCA_MCM_COMP_PORT_GID) || !(mask & VHCA_MCM_COMP_JOIN_STATE))
		return VHCA_SA_ERR_REQ_INSUFFICIENT_COMPONENTS;
	if (!state)
		return VHCA_SA_ERR_REQ_INVALID;
	member = vhca_sa_port_by_gid(fab, req->port_gid);
	if (!member || member->state != VHCA_PORT_STATE_ACTIVE)
		return VHCA_SA_ERR_REQ_INVALID_GID;
	if (member != port && !req->proxy_join)
		return VHCA_SA_ERR_REQ_INVALID;

	if (!(mask & VHCA_MCM_COMP_MGID))
		memset(creq.mgid, 0, sizeof(creq.mgid));
	if (memcmp(creq.mgid, vhca_mgid_zero, sizeof(creq.mgid)))
		g = vhca_mcast_find(fab, creq.mgid);
	if (g) {
		if (!vhca_mcast_params_match(&g->rec, req, mask))
			return VHCA_SA_ERR_REQ_INVALID;
	} else {
		if ((mask & VHCA_MCM_COMP_CREATE) != VHCA_MCM_COMP_CREATE ||
		    !(state & (VHCA_JOIN_FULL | VHCA_JOIN_SENDONLY_FULL)) ||
		    !(req->pkey & VHCA_PKEY_BASE_MASK))
			return VHCA_SA_ERR_REQ_INVALID;
		if (!memcmp(creq.mgid, vhca_mgid_zero, sizeof(creq.mgid)))
			vhca_mcast_make_mgid(fab, req->pkey,
					     (mask & VHCA_MCM_COMP_SCOPE) ?
					     req->scope : VHCA_SA_SCOPE_LINK,
					     creq.mgid);
		if (creq.mgid[0] != VHCA_MGID_PREFIX ||
		    !vhca_mcast_params_new(&rec, &creq, mask))
			return VHCA_SA_ERR_REQ_INVALID;
		if (!vhca_sa_port_pkey(member, rec.pkey))
			return VHCA_SA_ERR_REQ_INVALID;
		g = vhca_mcast_group_new(fab, &rec, false, &err);
		if (!g)
			return err;
		fresh = true;
	}
	if (!vhca_sa_port_pkey(member, g->rec.pkey))
		return VHCA_SA_ERR_REQ_INVALID;

	m = vhca_mcast_member(g, member);
	if (!m) {
		m = kzalloc(sizeof(*m), GFP_KERNEL);
		if (!m) {
			fab->mcast.no_mem++;
			goto no_mem;
		}
		m->port = member;
		list_add_tail(&m->node, &g->members);
	}
	old = m->join_state;
	m->join_state |= state;
	if ((old ^ m->join_state) & VHCA_JOIN_RECEIVERS &&
	    vhca_mcast_fwd_update(fab, g)) {
		m->join_state = old;
		if (!old) {
			list_del(&m->node);
			kfree(m);
		}
		vhca_mcast_fwd_update(fab, g);
		goto no_mem;
	}
	fab->mcast.joins++;
	vhca_mcast_member_rec(g, member, m->join_state, out);
	return 0;

no_mem:
	if (fresh && list_empty(&g->members))
		vhca_mcast_group_free(fab, g);
	return VHCA_SA_ERR_NO_RESOURCES;
}

/**
 * vhca_mcast_leave - MCMemberRecord Delete: a port leaves a group
 * @fab: the fabric, lock held
 * @port: the requester, NULL if unknown
 * @req: the record of the request: MGID, PortGID, JoinState to leave
 * @mask: its ComponentMask; without JoinState every state is left
 * @out: the group's record with the member's remaining state, on success
 *
 * A member left without a state leaves the group; a group left without
 * members is deleted and its MLID freed, unless it is a broadcast group.
 *
 * Return: 0 or a VHCA_SA_ERR_* code.
 */
u8 vhca_mcast_leave(struct vhca_fabric *fab, struct vhca_sim_port *port,
		    const struct vhca_sa_mcm_rec *req, u64 mask,
		    struct vhca_sa_mcm_rec *out)
{
	u8 state = VHCA_JOIN_ALL;
	struct vhca_mcast_member *m;
	struct vhca_mcast_group *g;
	struct vhca_sim_port *member;

	lockdep_assert_held(&fab->lock);
	if (!(mask & VHCA_MCM_COMP_MGID) || !(mask & VHCA_MCM_COMP_PORT_GID))
		return VHCA_SA_ERR_REQ_INSUFFICIENT_COMPONENTS;
	if (mask & VHCA_MCM_COMP_JOIN_STATE)
		state = req->join_state & VHCA_JOIN_ALL;
	member = vhca_sa_port_by_gid(fab, req->port_gid);
	if (!member)
		return VHCA_SA_ERR_REQ_INVALID_GID;
	if (member != port && !req->proxy_join)
		return VHCA_SA_ERR_REQ_INVALID;
	g = vhca_mcast_find(fab, req->mgid);
	if (!g)
		return VHCA_SA_ERR_REQ_INVALID;
	m = vhca_mcast_member(g, member);
	if (!m || !(m->join_state & state))
		return VHCA_SA_ERR_REQ_INVALID;

	m->join_state &= ~state;
	vhca_mcast_member_rec(g, member, m->join_state, out);
	fab->mcast.leaves++;
	if (!m->join_state)
		vhca_mcast_member_del(fab, g, m);
	else
		vhca_mcast_fwd_update(fab, g);
	return 0;
}

/* does a group match the MGID/MLID/P_Key/Q_Key a query gives? */
static bool vhca_mcast_query_match(const struct vhca_mcast_group *g,
				   const struct vhca_sa_mcm_rec *req, u64 mask)
{
	if ((mask & VHCA_MCM_COMP_MGID) &&
	    memcmp(req->mgid, g->rec.mgid, sizeof(req->mgid)))
		return false;
	if ((mask & VHCA_MCM_COMP_MLID) && req->mlid != g->rec.mlid)
		return false;
	if ((mask & VHCA_MCM_COMP_PKEY) &&
	    (req->pkey & VHCA_PKEY_BASE_MASK) !=
	    (g->rec.pkey & VHCA_PKEY_BASE_MASK))
		return false;
	if ((mask & VHCA_MCM_COMP_QKEY) && req->qkey != g->rec.qkey)
		return false;
	return true;
}

/**
 * vhca_mcast_query - MCMemberRecord Get/GetTable
 * @fab: the fabric, lock held
 * @req: the record of the request
 * @mask: its ComponentMask: MGID, MLID, P_Key, Q_Key select groups;
 *	PortGID (and JoinState) selects the membership of one port
 * @out: records, in group creation order
 * @max: room in @out
 *
 * With a PortGID there is one record per group the port is a member of
 * (its PortGID and JoinState in it); without, one per group with PortGID
 * and JoinState zero.
 *
 * Return: the number of matches, which may exceed @max (only @max are
 * written).
 */
unsigned int vhca_mcast_query(struct vhca_fabric *fab,
			      const struct vhca_sa_mcm_rec *req, u64 mask,
			      struct vhca_sa_mcm_rec *out, unsigned int max)
{
	struct vhca_sim_port *port = NULL;
	struct vhca_mcast_member *m;
	struct vhca_mcast_group *g;
	unsigned int n = 0;

	lockdep_assert_held(&fab->lock);
	if (mask & VHCA_MCM_COMP_PORT_GID) {
		port = vhca_sa_port_by_gid(fab, req->port_gid);
		if (!port)
			return 0;
	}
	list_for_each_entry(g, &fab->mcast.groups, node) {
		if (!vhca_mcast_query_match(g, req, mask))
			continue;
		if (port) {
			m = vhca_mcast_member(g, port);
			if (!m || ((mask & VHCA_MCM_COMP_JOIN_STATE) &&
				   !(m->join_state & req->join_state)))
				continue;
			if (n < max)
				vhca_mcast_member_rec(g, port, m->join_state,
						      &out[n]);
		} else if (n < max) {
			out[n] = g->rec;
		}
		n++;
	}
	return n;
}

/**
 * vhca_mcast_fwd - the ports a multicast packet is copied to
 * @fab: the fabric
 * @mlid: the packet's DLID
 * @ports: filled with the ports of the group's full and non members
 * @max: room in @ports
 *
 * Any context but hardirq; takes no lock. Call it under rcu_read_lock():
 * the ports returned stay valid until rcu_read_unlock().
 *
 * Return: ports written, 0 for an MLID without a group or receivers.
 */
unsigned int vhca_mcast_fwd(struct vhca_fabric *fab, u16 mlid,
			    struct vhca_sim_port **ports, unsigned int max)
{
	struct vhca_mcast_group *g;
	struct vhca_mcast_fwd *fwd;
	unsigned int n = 0;

	rcu_read_lock();
	g = xa_load(&fab->mcast.by_mlid, mlid);
	fwd = g ? rcu_dereference(g->fwd) : NULL;
	if (fwd) {
		n = min(fwd->num, max);
		memcpy(ports, fwd->ports, n * sizeof(*ports));
	}
	rcu_read_unlock();
	return n;
}

static int vhca_mcast_show(struct seq_file *m, void *unused)
{
	struct vhca_fabric *fab = m->private;
	struct vhca_mcast *mc = &fab->mcast;
	struct vhca_mcast_member *mem;
	struct vhca_mcast_group *g;

	mutex_lock(&fab->lock);
	seq_printf(m, "groups created %llu deleted %llu joins %llu leaves %llu removed %llu no_mlid %llu no_mem %llu\n",
		   mc->created, mc->deleted, mc->joins, mc->leaves, mc->removed,
		   mc->no_mlid, mc->no_mem);
	list_for_each_entry(g, &mc->groups, node) {
		seq_printf(m, "mgid %pI6 mlid 0x%04x pkey 0x%04x qkey 0x%08x mtu %u rate %u sl %u scope %u%s members",
			   g->rec.mgid, g->rec.mlid, g->rec.pkey, g->rec.qkey,
			   g->rec.mtu, g->rec.rate, g->rec.sl, g->rec.scope,
			   g->bcast ? " broadcast" : "");
		list_for_each_entry(mem, &g->members, node)
			seq_printf(m, " vhca%u/%u:0x%x",
				   mem->port->sdev->bdev.id, mem->port->num,
				   mem->join_state);
		seq_putc(m, '\n');
	}
	mutex_unlock(&fab->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vhca_mcast);

/**
 * vhca_mcast_debugfs_init - the read-only file vhca_sim/fabric/mcast
 * @fab: the fabric, its debugfs directory created
 */
void vhca_mcast_debugfs_init(struct vhca_fabric *fab)
{
	debugfs_create_file("mcast", 0400, fab->ddir, fab, &vhca_mcast_fops);
}

/**
 * vhca_mcast_init - no groups but the default partition's broadcast group
 * @fab: the fabric
 *
 * Return: 0 or -ENOMEM.
 */
int vhca_mcast_init(struct vhca_fabric *fab)
{
	struct vhca_mcast *mc = &fab->mcast;
	int err = 0;

	INIT_LIST_HEAD(&mc->groups);
	xa_init_flags(&mc->by_mlid, XA_FLAGS_ALLOC);
	mc->next_mgid = 0;
	mc->created = 0;
	mc->deleted = 0;
	mc->joins = 0;
	mc->leaves = 0;
	mc->removed = 0;
	mc->no_mlid = 0;
	mc->no_mem = 0;
	mutex_lock(&fab->lock);
	vhca_mcast_bcast_ensure(fab, VHCA_PKEY_DEFAULT);
	if (list_empty(&mc->groups))
		err = -ENOMEM;
	mutex_unlock(&fab->lock);
	if (err)
		xa_destroy(&mc->by_mlid);
	return err;
}

/**
 * vhca_mcast_uninit - free every group, after every port is unplugged
 * @fab: the fabric
 */
void vhca_mcast_uninit(struct vhca_fabric *fab)
{
	struct vhca_mcast_group *g, *tmp;

	mutex_lock(&fab->lock);
	list_for_each_entry_safe(g, tmp, &fab->mcast.groups, node) {
		WARN_ON(!list_empty(&g->members));
		vhca_mcast_group_free(fab, g);
	}
	mutex_unlock(&fab->lock);
	xa_destroy(&fab->mcast.by_mlid);
}
