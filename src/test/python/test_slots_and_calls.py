import threading
import unittest

from runtime_package import module, poll_until

fc_slots = module("fc_slots")
fc_call = module("fc_call")


class SlotsTest(unittest.TestCase):
    def test_a_full_instance_answers_busy_after_the_wait(self):
        slots = fc_slots.Slots(1)
        self.assertEqual(slots.acquire(0), fc_slots.GRANTED)
        self.assertEqual(slots.acquire(0), fc_slots.BUSY)
        self.assertEqual(slots.busy(), 1)

    def test_a_released_slot_goes_to_the_longest_waiting_request(self):
        slots = fc_slots.Slots(1)
        slots.acquire(0)
        results = []
        waiter = threading.Thread(target=lambda: results.append(slots.acquire(10)))
        waiter.start()
        poll_until(lambda: slots._waiters)  # the waiter is queued
        slots.release()
        waiter.join(10)
        self.assertEqual(results, [fc_slots.GRANTED])
        self.assertEqual(slots.busy(), 1)

    def test_closing_refuses_waiters_at_once_and_new_requests(self):
        slots = fc_slots.Slots(1)
        slots.acquire(0)
        results = []
        waiter = threading.Thread(target=lambda: results.append(slots.acquire(30)))
        waiter.start()
        poll_until(lambda: slots._waiters)
        slots.close()
        waiter.join(10)
        self.assertEqual(results, [fc_slots.CLOSED])
        self.assertEqual(slots.acquire(0), fc_slots.CLOSED)


class CallTest(unittest.TestCase):
    def test_outcomes(self):
        self.assertEqual(fc_call.call(lambda: 7, (), 5).status, fc_call.SUCCEEDED)
        self.assertEqual(fc_call.call(lambda: 7, (), 5).value, 7)
        failed = fc_call.call(lambda: 1 / 0, (), 5)
        self.assertEqual((failed.status, failed.error_type()), (fc_call.FAILED, "ZeroDivisionError"))
        release = threading.Event()
        timed_out = fc_call.call(release.wait, (30,), 0.05)
        release.set()
        self.assertEqual(timed_out.status, fc_call.TIMEOUT)

    def test_the_users_system_exit_is_a_failure_not_the_runtimes_end(self):
        def leave():
            raise SystemExit(9)
        self.assertEqual(fc_call.call(leave, (), 5).status, fc_call.FAILED)

    def test_the_lifecycle_reports_the_calls_statuses(self):
        fc_lifecycle = module("fc_lifecycle")
        self.assertEqual((fc_lifecycle.SUCCEEDED, fc_lifecycle.FAILED, fc_lifecycle.TIMEOUT),
                         (fc_call.SUCCEEDED, fc_call.FAILED, fc_call.TIMEOUT))


if __name__ == "__main__":
    unittest.main()
