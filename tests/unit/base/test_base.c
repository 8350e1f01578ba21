#include "../t.h"

#include "base/buf.h"
#include "base/loop.h"
#include "base/mem.h"
#include "base/rd.h"

static void reader_error_sticks_past_end(void)
{
	const uint8_t d[] = { 1, 2, 3 };
	struct rd r = rd_init(d, sizeof(d));
	T_EQ_INT(rd_u16(&r), 0x0102);
	T_CHECK(!r.bad);
	T_EQ_INT(rd_u16(&r), 0);
	T_CHECK(r.bad);
	T_EQ_INT(rd_u8(&r), 0);   /* even though one byte was left */
	T_CHECK(r.bad);
}

static void reader_sub_limits_child(void)
{
	const uint8_t d[] = { 0, 0, 0, 5, 9, 9 };
	struct rd r = rd_init(d, sizeof(d));
	struct rd s = rd_sub(&r, 4);
	T_EQ_INT(rd_u32(&s), 5);
	T_EQ_INT(rd_u8(&s), 0);
	T_CHECK(s.bad);
	T_CHECK(!r.bad);
	T_EQ_INT(rd_u16(&r), 0x0909);
	struct rd t = rd_sub(&r, 1);
	T_CHECK(t.bad && r.bad);
}

static void buf_patches_by_offset_after_growth(void)
{
	struct buf b;
	buf_init(&b);
	size_t off = buf_skip(&b, 2);
	for (int i = 0; i < 1000; i++)
		buf_put_u32(&b, (uint32_t)i);
	buf_patch_u16(&b, off, 0xbeef);
	T_CHECK(!b.oom);
	T_EQ_INT(b.len, 4002);
	T_EQ_INT(b.data[0], 0xbe);
	T_EQ_INT(b.data[1], 0xef);
	T_EQ_INT(b.data[4001], 999 & 0xff);
	buf_free(&b);
}

static void hex_round_trip(void)
{
	uint8_t out[4];
	char s[9];
	T_EQ_INT(mem_unhex("de:ad be EF", out, sizeof(out)), 4);
	mem_hex(out, 4, s);
	T_EQ_STR(s, "deadbeef");
	T_EQ_INT(mem_unhex("abc", out, sizeof(out)), -1);
	T_EQ_INT(mem_unhex("0102030405", out, sizeof(out)), -1);
}

static int fired[4];
static int nfired;
static void on_timer(void *arg)
{
	fired[nfired++] = (int)(intptr_t)arg;
}

static struct loop *tl;
static void on_timer_stop(void *arg)
{
	on_timer(arg);
	loop_stop(tl);
}

static void loop_timers_fire_in_deadline_order(void)
{
	tl = loop_new();
	nfired = 0;
	loop_timer_add(tl, 20, on_timer, (void *)2);
	loop_timer_add(tl, 5, on_timer, (void *)1);
	struct loop_timer *c = loop_timer_add(tl, 10, on_timer, (void *)9);
	loop_timer_add(tl, 30, on_timer_stop, (void *)3);
	loop_timer_cancel(tl, c);
	T_EQ_INT(loop_run(tl), 0);
	T_EQ_INT(nfired, 3);
	T_EQ_INT(fired[0], 1);
	T_EQ_INT(fired[1], 2);
	T_EQ_INT(fired[2], 3);
	loop_free(tl);
}

int main(void)
{
	T_RUN(reader_error_sticks_past_end);
	T_RUN(reader_sub_limits_child);
	T_RUN(buf_patches_by_offset_after_growth);
	T_RUN(hex_round_trip);
	T_RUN(loop_timers_fire_in_deadline_order);
	T_DONE();
}
