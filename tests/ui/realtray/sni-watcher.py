#!/usr/bin/env python3
"""A minimal StatusNotifierWatcher (and host) for tst_realtray, on the session bus of the test's own D-Bus session.

It owns org.kde.StatusNotifierWatcher, says a host is registered (Qt only exports its tray icon as a
StatusNotifierItem when one is), and records the items that register. For the test it also offers, under
org.nimbusvpn.TestTrayHost (same object, /StatusNotifierWatcher):
  Inspect() -> s       the first item's properties and its com.canonical.dbusmenu layout, as JSON
  Click(s label) -> s  sends Event(id, "clicked") to the menu entry with that label; "" when done, else an error
Both answer asynchronously, so the item's process can serve the calls they make while it waits for the answer.
"""
import hashlib
import json
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

WATCHER = "org.kde.StatusNotifierWatcher"
ITEM = "org.kde.StatusNotifierItem"
MENU = "com.canonical.dbusmenu"
PROPS = "org.freedesktop.DBus.Properties"


def plain(value):
    """dbus-python values as JSON-friendly Python values."""
    if isinstance(value, dbus.ByteArray) or (isinstance(value, dbus.Array) and value.signature == "y"):
        return hashlib.sha1(bytes(value)).hexdigest()[:16]  # pixel data: a digest tells whether it changed
    if isinstance(value, (dbus.Array, list)):
        return [plain(v) for v in value]
    if isinstance(value, (dbus.Struct, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (dbus.Dictionary, dict)):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, dbus.Boolean):
        return bool(value)
    if isinstance(value, (dbus.Int16, dbus.Int32, dbus.Int64, dbus.UInt16, dbus.UInt32, dbus.UInt64, dbus.Byte)):
        return int(value)
    if isinstance(value, (dbus.String, dbus.ObjectPath, dbus.Signature)):
        return str(value)
    return value


def layout_entries(node, parent_label=""):
    """Flattens a GetLayout node (id, props, children) into a list of {id, label, enabled, submenu, parent}."""
    ident, props, children = node
    out = []
    for child in children:
        cid, cprops, _ = child
        label = str(cprops.get("label", "")).replace("_", "")
        entry = {
            "id": int(cid),
            "label": label,
            "type": str(cprops.get("type", "standard")),
            "enabled": bool(cprops.get("enabled", True)),
            "visible": bool(cprops.get("visible", True)),
            "submenu": str(cprops.get("children-display", "")) == "submenu",
            "parent": parent_label,
        }
        out.append(entry)
        out.extend(layout_entries(child, label))
    return out


class Watcher(dbus.service.Object):
    def __init__(self, bus):
        super().__init__(bus, "/StatusNotifierWatcher")
        self.bus = bus
        self.items = []

    @dbus.service.method(WATCHER, in_signature="s", out_signature="", sender_keyword="sender")
    def RegisterStatusNotifierItem(self, service, sender=None):
        # Qt sends its own well-known name; a path means "the sender's object at that path".
        if service.startswith("/"):
            service = sender + service
        if service not in self.items:
            self.items.append(service)
        self.StatusNotifierItemRegistered(service)

    @dbus.service.method(WATCHER, in_signature="s", out_signature="")
    def RegisterStatusNotifierHost(self, service):
        pass

    @dbus.service.signal(WATCHER, signature="s")
    def StatusNotifierItemRegistered(self, service):
        pass

    def properties(self):
        return {
            "RegisteredStatusNotifierItems": dbus.Array(self.items, signature="s"),
            "IsStatusNotifierHostRegistered": dbus.Boolean(True),
            "ProtocolVersion": dbus.Int32(0),
        }

    @dbus.service.method(PROPS, in_signature="ss", out_signature="v")
    def Get(self, interface, name):
        return self.properties()[name]

    @dbus.service.method(PROPS, in_signature="s", out_signature="a{sv}")
    def GetAll(self, interface):
        return self.properties()

    # Qt reads IsStatusNotifierHostRegistered through a QDBusInterface, which only knows the properties that the
    # introspection data declares; dbus-python declares none by itself.
    @dbus.service.method(dbus.INTROSPECTABLE_IFACE, in_signature="", out_signature="s",
                         path_keyword="object_path", connection_keyword="connection")
    def Introspect(self, object_path, connection):
        xml = super().Introspect(object_path, connection)
        props = ('<property name="RegisteredStatusNotifierItems" type="as" access="read"/>'
                 '<property name="IsStatusNotifierHostRegistered" type="b" access="read"/>'
                 '<property name="ProtocolVersion" type="i" access="read"/>')
        return xml.replace('<interface name="%s">' % WATCHER, '<interface name="%s">%s' % (WATCHER, props), 1)

    # The test's side door.
    def item(self):
        if not self.items:
            raise dbus.exceptions.DBusException("no item registered")
        name, _, path = self.items[0].partition("/")
        return self.bus.get_object(name, "/" + path if path else "/StatusNotifierItem")

    def inspect(self, done, failed):
        try:
            item = self.item()
        except dbus.exceptions.DBusException as e:
            failed(e)
            return

        def got_props(props):
            result = {"service": self.items[0], "item": plain(props)}
            menu = self.bus.get_object(item.bus_name, str(props["Menu"]))
            menu.GetLayout(0, -1, dbus.Array([], signature="s"), dbus_interface=MENU,
                           reply_handler=lambda revision, layout: done(result, menu, layout_entries(layout)),
                           error_handler=failed)

        item.GetAll(ITEM, dbus_interface=PROPS, reply_handler=got_props, error_handler=failed)

    @dbus.service.method("org.nimbusvpn.TestTrayHost", in_signature="", out_signature="s",
                         async_callbacks=("reply", "error"))
    def Inspect(self, reply, error):
        def done(result, menu, entries):
            result["menu"] = entries
            reply(json.dumps(result))
        self.inspect(done, error)

    @dbus.service.method("org.nimbusvpn.TestTrayHost", in_signature="s", out_signature="s",
                         async_callbacks=("reply", "error"))
    def Click(self, label, reply, error):
        def done(result, menu, entries):
            found = [e for e in entries if e["label"] == label]
            if not found:
                reply("no entry %r in %r" % (label, [e["label"] for e in entries]))
                return
            menu.Event(found[0]["id"], "clicked", dbus.Int32(0, variant_level=1), dbus.UInt32(0),
                       dbus_interface=MENU, reply_handler=lambda: reply(""), error_handler=error)
        self.inspect(done, error)


def main():
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    watcher = Watcher(bus)
    name = dbus.service.BusName(WATCHER, bus, do_not_queue=True)
    print("sni-watcher: ready", flush=True)
    try:
        GLib.MainLoop().run()
    finally:
        del name, watcher


if __name__ == "__main__":
    sys.exit(main())
