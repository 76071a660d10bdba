# Microsoft's reference deployment, written from the two summary tables of
# "DNS requirements for Skype for Business Server 2015" (dns.md, in
# MicrosoftDocs/OfficeDocs-SkypeForBusiness, Skype/SfbServer/
# plan-your-deployment/network-requirements/dns.md):
#
#   [internal]  "Internal DNS mappings"
#   [perimeter] "Perimeter network DNS mappings (both internal and
#               external interfaces)"
#
# Each comment below names the table and row a record comes from, in the
# table's own words. testdata/compile.golden.json is the result, record
# for record. Where the tables give no address (Director and Mediation
# servers), or topo needs a record the tables leave out, the comment says
# "not in the tables". The Edge environment tables (edge-environmental-
# requirements.md) use other addresses for the same names, so they are
# their own examples: ../reference-edge (scaled, DNS load balancing, NAT)
# and ../reference-edge-single (one consolidated Edge Server).
#
# Rows topo does not write, and why:
#   [internal] Back End Server SQL server FQDN (SQL1, 192.168.11.90) and its
#              mirror (SQL2, 192.168.11.91), Persistent Chat Server FQDN:
#              servers outside the topology language.
#   [internal] "_sipinternal.<sipdomain>" SRV: the row names no port or
#              protocol; sipinternal = true writes the legacy
#              sipinternal.<domain> A record instead (not enabled here).
#   [internal] _sipfederationtls._tcp.<sipdomain> -> EdgePool-int (mobile
#              push, inside): topo writes that SRV in the external view
#              only, as the perimeter table does.
#   [internal] The first "Web-int.contoso.com" row says 192.168.21.120; its
#              four later rows (internal Web Services FQDN, Internal Web
#              FQDN, lyncdiscoverinternal, the simple URLs) say
#              192.168.21.121, and [perimeter] says the reverse proxy
#              forwards to 192.168.21.120, the external web services VIP.
#              topo follows the four rows: internal_vip is .121.
name    = "reference"
product = "sfb2015"

zone "contoso.com" {
  view = "internal"
  ttl  = 300
}

zone "contoso.com" {
  view = "external"
  ttl  = 300
}

sip_domain "contoso.com" {
  # [internal] SRV _sipinternaltls._tcp.contoso.com port 5061 -> Front End
  #            pool FQDN FE-Pool.contoso.com.
  # [internal] sip.contoso.com -> Front End pool server IP addresses.
  # [internal] lyncdiscoverinternal.contoso.com -> HLB Front End pool VIP
  #            192.168.21.121 (the A form; cname { lyncdiscoverinternal =
  #            true } writes the row's CNAME form to Web-int.contoso.com).
  pool = "fe-pool.contoso.com"

  # [perimeter] sip.contoso.com CNAME -> External Access Edge Pool FQDN
  #             Access1.contoso.com; _sip._tls, _sipfederationtls._tcp and
  #             _xmpp-server._tcp SRV -> Access1.contoso.com.
  edge_pool       = "edgepool-int.contoso.com"
  xmpp_federation = true

  # [perimeter] lyncdiscover, meet and dial-in -> Reverse proxy public IP
  #             address 131.107.155.1.
  reverse_proxy_ip = "131.107.155.1"

  # [internal] admin URL, meet URL, dial-in URL -> HLB FE Pool VIP
  #            192.168.21.121; [perimeter] meet and dial-in -> the reverse
  #            proxy (admin stays internal).
  meet   = "https://meet.contoso.com"
  dialin = "https://dialin.contoso.com"
  admin  = "https://admin.contoso.com"

  # [internal] ucupdates-r2.contoso.com -> HLB FE Pool VIP 192.168.21.121.
  ucupdates = true
  # [internal] SRV _ntp._udp.contoso.com -> TimeServer FQDN
  #            north-america.pool.ntp.org (port 123).
  ntp_server = "north-america.pool.ntp.org"

  cname {
    sip = true
  }
}

site "redmond" {
  pool "fe" {
    role = "frontend"
    # [internal] Front End pool FQDN FE-pool.contoso.com -> DNS LB to
    #            192.168.21.122 192.168.21.123 192.168.21.124.
    fqdn           = "fe-pool.contoso.com"
    load_balancing = "dns"

    web_services {
      # [internal] Enterprise Pool Internal Web Services Override FQDN
      #            Web-int.contoso.com -> HLB VIP for Front End Server
      #            Internal Web Services (192.168.21.121, see above).
      internal_fqdn = "web-int.contoso.com"
      internal_vip  = "192.168.21.121"
      # [perimeter] External Front End pool web services FQDN
      #             Web-ext.contoso.com -> Reverse proxy public IP address
      #             131.107.155.1.
      external_fqdn     = "web-ext.contoso.com"
      external_proxy_ip = "131.107.155.1"
      # [internal] Enterprise Pool External Web Services Override FQDN
      #            Web-ext.contoso.com -> HLB VIP for Front End Server
      #            External Web Services 68.123.56.90 ("Required if mobile
      #            clients will resolve DNS internally").
      external_vip = "68.123.56.90"
    }

    # [internal] FQDN of each Front End Server: FE01, FE02, FE03.contoso.com
    #            -> 192.168.21.122 192.168.21.123 192.168.21.124.
    server "fe01" {
      fqdn = "fe01.contoso.com"
      ip   = "192.168.21.122"
    }

    server "fe02" {
      fqdn = "fe02.contoso.com"
      ip   = "192.168.21.123"
    }

    server "fe03" {
      fqdn = "fe03.contoso.com"
      ip   = "192.168.21.124"
    }
  }

  pool "dir" {
    role = "director"
    # [internal] Director pool FQDN DirPool.contoso.com -> DNS LB to
    #            192.168.21.132, 192.168.21.133, 192.168.21.134.
    fqdn           = "dirpool.contoso.com"
    load_balancing = "dns"

    # Not in the tables: with DNS load balancing a Director pool's internal
    # web services need an override FQDN on an HLB VIP too
    # (load-balancing.md), so topo requires one.
    web_services {
      internal_fqdn = "webdir-int.contoso.com"
      internal_vip  = "192.168.21.131"
    }

    # [internal] Director FQDN -> Server IP address of each Director server
    #            (the server names are not in the tables).
    server "dir01" {
      fqdn = "dir01.contoso.com"
      ip   = "192.168.21.132"
    }

    server "dir02" {
      fqdn = "dir02.contoso.com"
      ip   = "192.168.21.133"
    }

    server "dir03" {
      fqdn = "dir03.contoso.com"
      ip   = "192.168.21.134"
    }
  }

  pool "med" {
    role = "mediation"
    # [internal] Mediation Server pool FQDN -> Pool IP addresses, and
    #            Mediation Server FQDN -> Server IP address (names and
    #            addresses not in the tables).
    fqdn = "medpool.contoso.com"

    server "med01" {
      fqdn = "med01.contoso.com"
      ip   = "192.168.21.141"
    }

    server "med02" {
      fqdn = "med02.contoso.com"
      ip   = "192.168.21.142"
    }
  }

  pool "edge" {
    role = "edge"
    # [perimeter] Internal Edge pool FQDN EdgePool-int.contoso.com ->
    #             Internal-facing Edge pool IP addresses 172.25.33.10,
    #             172.25.33.11.
    fqdn = "edgepool-int.contoso.com"

    edge {
      external_load_balancing = "dns"
      # [perimeter] Access Edge service Pool FQDN Access1.contoso.com ->
      #             131.107.16.10, 131.107.16.11.
      access_fqdn = "access1.contoso.com"
      # [perimeter] Web Conferencing Edge service Pool FQDN
      #             Webcon1.contoso.com -> 131.107.16.90, 131.107.16.91.
      webconf_fqdn = "webcon1.contoso.com"
      # [perimeter] av.<sip-domain> Pool FQDN AV1.contoso.com ->
      #             131.107.16.170, 131.107.16.171.
      av_fqdn = "av1.contoso.com"
    }

    # [perimeter] Edge Server FQDN Cons-1.contoso.com -> 172.25.33.10 (the
    # second server's name is not in the table).
    server "cons-1" {
      fqdn = "cons-1.contoso.com"
      ip   = "172.25.33.10"

      edge {
        access_ip  = "131.107.16.10"
        webconf_ip = "131.107.16.90"
        av_ip      = "131.107.16.170"
      }
    }

    server "cons-2" {
      fqdn = "cons-2.contoso.com"
      ip   = "172.25.33.11"

      edge {
        access_ip  = "131.107.16.11"
        webconf_ip = "131.107.16.91"
        av_ip      = "131.107.16.171"
      }
    }
  }

  # [internal] Office Web Apps Server pool FQDN OWA.contoso.com -> Office
  #            Web Apps Server pool VIP address 192.168.1.5.
  # [perimeter] Office Web Apps Server pool FQDN OWA.contoso.com -> Reverse
  #             proxy public IP address 131.107.155.1.
  office_online_server "owa" {
    fqdn              = "owa.contoso.com"
    vip               = "192.168.1.5"
    external_proxy_ip = "131.107.155.1"
  }
}
