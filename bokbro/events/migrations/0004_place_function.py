"""PostgreSQL: a registration as one statement, `SELECT * FROM events_register(...)`.

The function takes the event's row lock, checks that registration is open, decides a seat (if
capacity and the library's quota allow), else the next waiting-list position, else 'full',
and inserts the registration and its audit entry. Called outside a transaction it is its own
transaction: the event's row lock is held only while PostgreSQL runs it and commits, never
while Python works, so a burst of registrations does not queue behind the application server.
Each statement in a PL/pgSQL function reads with a fresh snapshot, so the quota row read after
the event lock is current; the time and waiting position are drawn after the lock (arrival
order). A second active registration of the same address fails on the partial unique index
and the whole statement rolls back. The CHECK constraints stay as the safety net. SQLite keeps
the Python path in `services.py` (an immediate transaction).
"""

from django.db import migrations

UNLIMITED_QUOTA = 2**31 - 1

CREATE = f"""
CREATE OR REPLACE FUNCTION events_register(
    p_event bigint, p_registration jsonb, p_audit jsonb, p_now timestamptz, p_check_open boolean
) RETURNS TABLE (r_outcome text, r_id bigint, r_position integer, r_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    ev record;
    reg events_registration;
    entry core_auditentry;
    v_taken integer;
    v_seated boolean;
BEGIN
    SELECT e.capacity, e.seats_taken, e.waiting_list, e.quota_per_library,
           e.manager_approval, e.status, e.registration_opens_at, e.registration_closes_at,
           e.ends_at
      INTO ev FROM events_event e WHERE e.id = p_event FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'missing'::text, NULL::bigint, NULL::integer, NULL::timestamptz;
        RETURN;
    END IF;
    -- The same rule as Event.registration_state(), checked again under the lock.
    IF p_check_open AND (
        ev.status <> 'published'
        OR (ev.registration_opens_at IS NOT NULL AND p_now < ev.registration_opens_at)
        OR (ev.registration_closes_at IS NOT NULL AND p_now >= ev.registration_closes_at)
        OR p_now >= ev.ends_at
    ) THEN
        RETURN QUERY SELECT 'closed'::text, NULL::bigint, NULL::integer, NULL::timestamptz;
        RETURN;
    END IF;

    reg := jsonb_populate_record(NULL::events_registration, p_registration);
    reg.id := nextval(pg_get_serial_sequence('events_registration', 'id'));
    reg.event_id := p_event;
    -- The registration's time is the moment the lock was granted: arrival order.
    reg.created_at := clock_timestamp();

    v_seated := ev.capacity IS NULL OR ev.seats_taken < ev.capacity;
    IF v_seated AND COALESCE(ev.quota_per_library, 0) > 0 AND reg.library_id IS NOT NULL THEN
        SELECT q.taken INTO v_taken FROM events_libraryquotause q
         WHERE q.event_id = p_event AND q.library_id = reg.library_id FOR UPDATE;
        v_seated := v_taken IS NULL OR v_taken < ev.quota_per_library;
    END IF;

    IF v_seated THEN
        UPDATE events_event SET seats_taken = seats_taken + 1 WHERE id = p_event;
        IF reg.library_id IS NOT NULL THEN
            INSERT INTO events_libraryquotause (event_id, library_id, quota, taken)
            VALUES (p_event, reg.library_id,
                    COALESCE(NULLIF(ev.quota_per_library, 0), {UNLIMITED_QUOTA}), 1)
            ON CONFLICT (event_id, library_id)
            DO UPDATE SET taken = events_libraryquotause.taken + 1;
        END IF;
        reg.status := CASE WHEN ev.manager_approval THEN 'pending' ELSE 'confirmed' END;
        reg.holds_seat := true;
        IF reg.status = 'confirmed' THEN
            reg.confirmed_at := reg.created_at;
        END IF;
    ELSIF ev.waiting_list THEN
        UPDATE events_event SET waiting_counter = waiting_counter + 1
         WHERE id = p_event RETURNING waiting_counter INTO reg.waiting_position;
        reg.status := 'waiting';
        reg.holds_seat := false;
    ELSE
        RETURN QUERY SELECT 'full'::text, NULL::bigint, NULL::integer, NULL::timestamptz;
        RETURN;
    END IF;
    INSERT INTO events_registration SELECT reg.*;

    entry := jsonb_populate_record(NULL::core_auditentry, p_audit);
    entry.id := nextval(pg_get_serial_sequence('core_auditentry', 'id'));
    entry.created_at := reg.created_at;
    entry.data := COALESCE(entry.data, '{{}}'::jsonb)
        || jsonb_build_object('registration_id', reg.id, 'status', reg.status);
    INSERT INTO core_auditentry SELECT entry.*;

    RETURN QUERY SELECT reg.status::text, reg.id, reg.waiting_position, reg.created_at;
END;
$$;
"""

DROP = "DROP FUNCTION IF EXISTS events_register(bigint, jsonb, jsonb, timestamptz, boolean);"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    # The function declares a variable of the audit log's row type.
    dependencies = [
        ("core", "0001_initial"),
        ("events", "0003_attendance_certificates_material_economy"),
    ]

    operations = [migrations.RunPython(create, drop)]
