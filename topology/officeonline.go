package topology

// checkOfficeOnline checks an Office Web Apps / Office Online Server farm
// and queues its records (dns.md): the farm FQDN to its VIP in the
// internal view, and its external FQDN (the same name unless set) to the
// reverse proxy's public address in the external view.
func (v *validator) checkOfficeOnline(s *Site, o *OfficeOnline, seen map[string]*OfficeOnline) {
	if prev, ok := seen[o.Name]; ok {
		v.errorf(o.LabelRange, "Duplicate Office Online Server farm", "Site %q already has an office_online_server %q, declared at %s.", s.Name, o.Name, at(prev.DefRange))
	}
	seen[o.Name] = o
	path := "site." + s.Name + ".office_online_server." + o.Name
	if o.TTL != nil && (*o.TTL < 1 || *o.TTL > 2147483647) {
		v.errorf(o.TTLRange, "Invalid TTL", "A TTL is a number of seconds from 1 to 2147483647.")
	}
	fqdnOK := v.fqdnOK(o.FQDN, o.FQDNRange, "Office Online Server FQDN") && v.claimFQDN(o.FQDN, o.FQDNRange, "Office Online Server farm "+o.Name)
	vip, vipOK := v.addrOK(o.VIP, o.VIPRange, "Office Online Server VIP")
	if fqdnOK && vipOK {
		v.recs = append(v.recs, pendingRecord{name: fold(o.FQDN), view: ViewInternal, addr: vip, ttl: o.TTL, source: path, rng: o.FQDNRange})
	}

	ext, extRng, extOK := o.FQDN, o.FQDNRange, fqdnOK
	if o.ExternalFQDN != nil {
		ext, extRng = *o.ExternalFQDN, o.ExternalFQDNRange
		extOK = v.fqdnOK(ext, extRng, "Office Online Server external FQDN")
		if extOK && fold(ext) != fold(o.FQDN) {
			extOK = v.claimFQDN(ext, extRng, "Office Online Server farm "+o.Name+" (external)")
		}
		if o.ExternalProxyIP == nil {
			v.errorf(extRng, "Missing reverse proxy address", "On the Internet the farm's external FQDN resolves to the reverse proxy's public address, which proxies to the farm's VIP. Set external_proxy_ip.")
		}
	}
	if o.ExternalProxyIP != nil {
		if a, ok := v.addrOK(*o.ExternalProxyIP, o.ExternalProxyIPRange, "reverse proxy address"); ok && extOK {
			v.recs = append(v.recs, pendingRecord{name: fold(ext), view: ViewExternal, addr: a, ttl: o.TTL, source: path + ".external", rng: extRng, addrRng: o.ExternalProxyIPRange,
				hint: " external_proxy_ip is the reverse proxy's public address; the farm's VIP inside is vip."})
		}
	}
}
