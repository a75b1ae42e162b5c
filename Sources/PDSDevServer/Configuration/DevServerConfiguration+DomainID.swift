extension DevServerConfiguration {
    /// The `domain_id` rule of the PDS Authorize and Token references (2026 revision: the
    /// first parameter, required): present and equal to ``domainID``, or, when
    /// ``requiresDomainID`` is false as in the older references, absent. A repeated
    /// `domain_id` is refused by the callers with their other repeated parameters
    /// (RFC 6749 §3.1, §3.2).
    func checkDomainID(_ fields: FormFields) throws(PDSError) {
        guard let domainID = fields["domain_id"] else {
            if requiresDomainID { throw .missing("domain_id") }
            return
        }
        // The domain id is public (it is in the host name), so naming the right one helps
        // and reveals nothing.
        guard domainID == self.domainID else {
            throw PDSError(.domainID, "domain_id names another domain; this server is the domain \(self.domainID)")
        }
    }
}
