# Microsoft's Edge environment table for one consolidated Edge Server with
# public addresses: "DNS records for Single consolidated Edge Server
# scenarios" in edge-environmental-requirements.md
# (MicrosoftDocs/OfficeDocs-SkypeForBusiness, Skype/SfbServer/
# plan-your-deployment/edge-server-deployments/). The Edge Server is a pool
# of one whose FQDN is the pool's, so its internal name has exactly the
# table's one record. Each comment names the table's row;
# testdata/compile.golden.json is the result. Records the table does not
# list say "not in the table".
name    = "reference-edge-single"
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
  # 5061 _sipfederationtls._tcp.contoso.com -> sip.contoso.com.
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
    # Internal DNS A sfvedge.contoso.net -> 172.25.33.10: the internal
    # interface of the consolidated Edge.
    fqdn = "sfvedge.contoso.net"

    edge {
      # External DNS A sip.contoso.com -> public: 131.107.155.10.
      access_fqdn = "sip.contoso.com"
      # External DNS A webcon.contoso.com -> public: 131.107.155.20.
      webconf_fqdn = "webcon.contoso.com"
      # External DNS A av.contoso.com -> public: 131.107.155.30.
      av_fqdn = "av.contoso.com"
    }

    server "sfvedge" {
      ip = "172.25.33.10"

      edge {
        access_ip  = "131.107.155.10"
        webconf_ip = "131.107.155.20"
        av_ip      = "131.107.155.30"
      }
    }
  }
}
