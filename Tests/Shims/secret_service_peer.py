#!/usr/bin/python3
# A D-Bus session-bus peer for the secret-service tests (Debian's python3-gi):
#
#   secret_service_peer.py unlock PASSWORD   unlocks the running GNOME Keyring's login
#                                            collection, as logging in again would (its
#                                            internal UnlockWithMasterPassword; no prompt)
#   secret_service_peer.py hostile           claims org.freedesktop.secrets on a bus where
#                                            nobody holds it, prints every call it receives,
#                                            and answers each with an error whose text
#                                            carries terminal escapes
#   secret_service_peer.py silent            claims it and never answers anything
#
# The peer modes print "ready" once they hold the name, then serve until killed.
import sys
from gi.repository import Gio, GLib

bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)


def call(path, interface, method, arguments, reply):
    return bus.call_sync("org.freedesktop.secrets", path, interface, method, arguments,
                         GLib.VariantType(reply), Gio.DBusCallFlags.NONE, -1, None)


def unlock(password):
    session = call("/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "OpenSession",
                   GLib.Variant("(sv)", ("plain", GLib.Variant("s", ""))), "(vo)").unpack()[1]
    call("/org/freedesktop/secrets", "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
         "UnlockWithMasterPassword",
         GLib.Variant("(o(oayays))", ("/org/freedesktop/secrets/collection/login",
                                      (session, b"", password.encode(), "text/plain"))), "()")


def serve(answer):
    def incoming(connection, message, is_incoming):
        # Every call addressed to this connection (by the well-known name or, as GDBus
        # proxies do, by its unique name) is a call to the pretended service.
        if is_incoming and message.get_message_type() == Gio.DBusMessageType.METHOD_CALL:
            print("call:", message.get_interface(), message.get_member(), message.get_body(), flush=True)
            if answer:
                reply = message.new_method_error_literal(
                    "org.freedesktop.Secret.Error.Hostile", "\x1b]0;pwned\x07\x1b[2Jgotcha\u202e")
                connection.send_message(reply, Gio.DBusSendMessageFlags.NONE)
            return None
        return message

    bus.add_filter(incoming)
    flags = bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "RequestName",
                          GLib.Variant("(su)", ("org.freedesktop.secrets", 4)), GLib.VariantType("(u)"),
                          Gio.DBusCallFlags.NONE, -1, None).unpack()[0]
    if flags != 1:
        sys.exit("could not become org.freedesktop.secrets (%d)" % flags)
    print("ready", flush=True)
    GLib.MainLoop().run()


if sys.argv[1] == "unlock":
    unlock(sys.argv[2])
else:
    serve(sys.argv[1] == "hostile")
