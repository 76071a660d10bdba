# Microsoft's Edge environment table for a scaled consolidated Edge pool
# with DNS load balancing: "DNS records for Scaled DNS and hardware Edge
# Server scenarios" in edge-environmental-requirements.md
# (MicrosoftDocs/OfficeDocs-SkypeForBusiness, Skype/SfbServer/
# plan-your-deployment/edge-server-deployments/). Its two nodes sit behind
# NAT: each external interface has the table's private address and, in
# front of it, its public one; external DNS holds the public addresses.
# Each comment names the table's row; testdata/compile.golden.json is the
# result. Records the table does not list say "not in the table".
#
# Rows topo does not write, and why:
#   "DNS records for extensible messaging and presence protocol": its SRV
#   points at xmpp.contoso.com; topo's xmpp_federation points the SRV at
#   the Access Edge FQDN, as dns.md's perimeter table does (see
#   ../reference).
name    = "reference-edge"
product = "sfb2015"

zone "contoso.com" {
  view = "internal"
}

zone "contoso.com" {
  view = "external"
}

zone "contoso.net" {
  view = "internal"
}

sip_domain "contoso.com" {
  # Not in the table: a SIP domain is registered by a pool, here one
  # Standard Edition server; it gives the internal
  # _sipinternaltls._tcp.contoso.com, sip.contoso.com and
  # lyncdiscoverinternal.contoso.com records.
  pool = "se01.contoso.com"

  # External DNS SRV 443 _sip._tls.contoso.com -> sip.contoso.com, and SRV
  # 5061 _sipfederationtls._tcp.contoso.com -> sip.contoso.com: the Access
  # Edge FQDN. sip.contoso.com itself is the Edge pool's (below).
  edge_pool = "sfvedge.contoso.net"
}

site "hq" {
  pool "se01" {
    edition = "standard"
    fqdn    = "se01.contoso.com"

    server "se01" {
      ip = "192.168.10.10"
    }
  }

  pool "edge" {
    role = "edge"
    # Internal DNS A sfvedge.contoso.net -> 172.25.33.10 and 172.25.33.11:
    # the internal interface of the consolidated Edge.
    fqdn = "sfvedge.contoso.net"

    edge {
      external_load_balancing = "dns"
      # External DNS A sip.contoso.com -> public: 131.107.155.10 and
      # 131.107.155.11 (private: 10.45.16.10 and 10.45.16.11).
      access_fqdn = "sip.contoso.com"
      # External DNS A webcon.contoso.com -> public: 131.107.155.20 and
      # 131.107.155.21 (private: 10.45.16.20 and 10.45.16.21).
      webconf_fqdn = "webcon.contoso.com"
      # External DNS A av.contoso.com -> public: 131.107.155.30 and
      # 131.107.155.31 (private: 10.45.16.30 and 10.45.16.31).
      av_fqdn = "av.contoso.com"
    }

    # Node 1 and node 2. Their own names are not in the table: topo gives
    # every server its own A record, as dns.md's perimeter table does
    # (Edge Server FQDN Cons-1.contoso.com -> 172.25.33.10).
    server "node1" {
      fqdn = "sfvedge01.contoso.net"
      ip   = "172.25.33.10"

      edge {
        access_ip         = "10.45.16.10"
        access_public_ip  = "131.107.155.10"
        webconf_ip        = "10.45.16.20"
        webconf_public_ip = "131.107.155.20"
        av_ip             = "10.45.16.30"
        av_public_ip      = "131.107.155.30"
      }
    }

    server "node2" {
      fqdn = "sfvedge02.contoso.net"
      ip   = "172.25.33.11"

      edge {
        access_ip         = "10.45.16.11"
        access_public_ip  = "131.107.155.11"
        webconf_ip        = "10.45.16.21"
        webconf_public_ip = "131.107.155.21"
        av_ip             = "10.45.16.31"
        av_public_ip      = "131.107.155.31"
      }
    }
  }
}
