//! The domain calls that return what they made (a grant's id, a record's id), taking
//! `medchain-primitives`' types. Every other call is a typed payload of [`crate::runtime::tx`],
//! submitted with [`Client::submit`].

use medchain_primitives::{
	AccessReport, BatchId, Categories, Category, DenyId, GrantId, GrantTerms, Grantee, Hash32,
	Moment, NewRecord, OrganisationId, PatientId, Purpose, Purposes, RecordId,
};
use subxt::events::DecodeAsEvent;

use crate::{runtime, scale::convert, AccountId, Client, Error, Keypair, Submitted, Wait};

impl Submitted {
	/// The first event `E` the transaction emitted.
	pub fn event<E: DecodeAsEvent>(&self) -> Result<E, Error> {
		self.events
			.find_first::<E>()
			.ok_or(Error::MissingEvent {
				event: std::any::type_name::<E>(),
				block: self.block_hash,
			})?
			.map_err(|e| Error::Conversion {
				what: std::any::type_name::<E>().into(),
				reason: e.to_string(),
			})
	}
}

impl Client {
	/// The chain's clock (`Timestamp.Now`, ms) at the best block: what a grant's period is
	/// measured against.
	pub async fn now(&self) -> Result<Moment, Error> {
		// The best block, not the finalised one subxt's `at_current_block` means: a chain's
		// first blocks are not final yet, and genesis's clock stands at 0.
		let at = self.api().at_block(self.best_hash().await?).await?;
		let now = at.storage().entry(runtime::storage().timestamp().now())?.fetch(()).await?;
		Ok(now.decode()?)
	}

	/// `patients.enrol_patient`, signed by a practitioner: enrols the patient that
	/// `controller` controls, committed to `identity` (a hash of its identity documents, kept
	/// off chain). Returns the patient's id.
	pub async fn enrol_patient(
		&self,
		signer: &Keypair,
		controller: &AccountId,
		identity: Hash32,
		wait: Wait,
	) -> Result<(PatientId, Submitted), Error> {
		let call = runtime::tx().patients().enrol_patient(*controller, identity, None);
		let submitted = self.submit(&call, signer, wait).await?;
		let enrolled = submitted.event::<runtime::patients::events::PatientEnrolled>()?;
		Ok((enrolled.patient, submitted))
	}

	/// `consent.grant`, signed by the patient (or a guardian): grants `terms`, naming the
	/// `sensitive` categories it covers on purpose. Returns the grant's id.
	pub async fn grant(
		&self,
		signer: &Keypair,
		patient: PatientId,
		terms: &GrantTerms<AccountId>,
		sensitive: Categories,
		wait: Wait,
	) -> Result<(GrantId, Submitted), Error> {
		let call = runtime::tx().consent().grant(patient, convert(terms)?, convert(&sensitive)?);
		let submitted = self.submit(&call, signer, wait).await?;
		let granted = submitted.event::<runtime::consent::events::ConsentGranted>()?;
		Ok((granted.grant_id, submitted))
	}

	/// `consent.revoke`, signed by the patient, a guardian or the granter.
	pub async fn revoke(
		&self,
		signer: &Keypair,
		grant: GrantId,
		wait: Wait,
	) -> Result<Submitted, Error> {
		self.submit(&runtime::tx().consent().revoke(grant), signer, wait).await
	}

	/// `records.anchor`, signed by a practitioner the patient's consent lets append (or the
	/// patient): anchors `content_hash`, the fingerprint of a document the provider keeps at
	/// `locator`. Returns the record's id.
	pub async fn anchor(
		&self,
		signer: &Keypair,
		patient: PatientId,
		category: Category,
		purpose: Purpose,
		content_hash: Hash32,
		locator: Hash32,
		wait: Wait,
	) -> Result<(RecordId, Submitted), Error> {
		let call = runtime::tx().records().anchor(
			patient,
			convert(&category)?,
			convert(&purpose)?,
			content_hash,
			convert(&locator)?,
		);
		let submitted = self.submit(&call, signer, wait).await?;
		let anchored = submitted.event::<runtime::records::events::RecordAnchored>()?;
		Ok((anchored.record_id, submitted))
	}

	/// `records.anchor_many`, signed by a practitioner (each record naming the grant or
	/// emergency access that permits it, as [`Client::check_access`] answers) or by the patient
	/// (its own records, `basis: None`): anchors up to the runtime's `MaxAnchorsPerCall`
	/// records ([`Client::max_anchors_per_call`]) in one transaction, all or none. Returns
	/// their ids, in order. More records are [`Error::TooMany`], not sent.
	pub async fn anchor_many(
		&self,
		signer: &Keypair,
		records: &[NewRecord],
		wait: Wait,
	) -> Result<(Vec<RecordId>, Submitted), Error> {
		within("records.anchorMany", records.len(), self.max_anchors_per_call().await?)?;
		let call = runtime::tx().records().anchor_many(convert(&records.to_vec())?);
		let submitted = self.submit(&call, signer, wait).await?;
		let ids = submitted
			.events
			.find::<runtime::records::events::RecordAnchored>()
			.map(|anchored| anchored.map(|a| a.record_id))
			.collect::<Result<Vec<_>, _>>()
			.map_err(|e| Error::Conversion {
				what: "RecordAnchored".into(),
				reason: e.to_string(),
			})?;
		Ok((ids, submitted))
	}

	/// The most records one `anchor_many` takes (`Records::MaxAnchorsPerCall`).
	pub async fn max_anchors_per_call(&self) -> Result<u32, Error> {
		self.constant(runtime::constants().records().max_anchors_per_call()).await
	}

	/// `audit.report_access_batch`, signed by a practitioner or an organisation's admin: reports
	/// reads of patients' data made off chain (a gateway's reads of the last minutes), each
	/// naming the grant or emergency access it relied on, in order, all or none. Each is
	/// checked again now and recorded in its patient's trail, flagged if the basis no longer
	/// permits it. Up to the runtime's `MaxReportsPerBatch` reports
	/// ([`Client::max_reports_per_batch`]); more are [`Error::TooMany`], not sent.
	pub async fn report_access_batch(
		&self,
		signer: &Keypair,
		reports: &[AccessReport],
		wait: Wait,
	) -> Result<Submitted, Error> {
		within("audit.reportAccessBatch", reports.len(), self.max_reports_per_batch().await?)?;
		let call = runtime::tx().audit().report_access_batch(convert(&reports.to_vec())?);
		self.submit(&call, signer, wait).await
	}

	/// The most reads one `report_access_batch` reports (`Audit::MaxReportsPerBatch`).
	pub async fn max_reports_per_batch(&self) -> Result<u32, Error> {
		self.constant(runtime::constants().audit().max_reports_per_batch()).await
	}

	/// `records.anchor_batch`, signed by a practitioner: anchors the Merkle root of `count`
	/// documents of `category` (see `medchain_merkle`). Returns the batch's id and the
	/// organisation it was anchored for.
	pub async fn anchor_batch(
		&self,
		signer: &Keypair,
		merkle_root: Hash32,
		count: u32,
		category: Category,
		wait: Wait,
	) -> Result<(BatchId, OrganisationId, Submitted), Error> {
		let call = runtime::tx().records().anchor_batch(merkle_root, count, convert(&category)?);
		let submitted = self.submit(&call, signer, wait).await?;
		let anchored = submitted.event::<runtime::records::events::BatchAnchored>()?;
		Ok((anchored.batch_id, anchored.organisation, submitted))
	}

	/// The organisation `who` acts for as a provider at the best block: the one it is a
	/// practitioner of, or else the one it administers, if that organisation is active; `None`
	/// if it is neither (what the chain asks of a gateway's relayer).
	pub async fn provider_organisation_of(
		&self,
		who: &AccountId,
	) -> Result<Option<OrganisationId>, Error> {
		use runtime::runtime_types::pallet_providers::types::OrganisationStatus;
		let at = self.api().at_block(self.best_hash().await?).await?;
		let providers = runtime::storage().providers();
		let practitioner = at.storage().entry(providers.practitioners())?;
		let organisation = match practitioner.try_fetch((*who,)).await? {
			Some(membership) => Some(membership.decode()?.organisation),
			None => {
				let admin_of = at.storage().entry(providers.admin_of())?;
				match admin_of.try_fetch((*who,)).await? {
					Some(organisation) => Some(organisation.decode()?),
					None => None,
				}
			},
		};
		let Some(organisation) = organisation else { return Ok(None) };
		let organisations = at.storage().entry(providers.organisations())?;
		let active = match organisations.try_fetch((organisation,)).await? {
			Some(org) => matches!(org.decode()?.status, OrganisationStatus::Active),
			None => false,
		};
		Ok(active.then_some(organisation))
	}

	/// Record `id`'s anchor at the best block; `None` if no record has this id.
	pub async fn anchor_of(&self, id: RecordId) -> Result<Option<AnchorRecord>, Error> {
		let at = self.api().at_block(self.best_hash().await?).await?;
		let anchors = at.storage().entry(runtime::storage().records().anchors())?;
		let Some(anchor) = anchors.try_fetch((id,)).await? else { return Ok(None) };
		let anchor = anchor.decode()?;
		Ok(Some(AnchorRecord {
			id,
			patient: anchor.patient,
			category: convert(&anchor.category)?,
			purpose: convert(&anchor.purpose)?,
			content_hash: anchor.content_hash,
			author: anchor.author,
			author_org: anchor.author_org,
			created_at: anchor.created_at,
			supersedes: anchor.supersedes,
			status: convert(&anchor.status)?,
		}))
	}

	/// `consent.add_deny`, signed by the patient (or a guardian): a deny rule that no grant
	/// overrides, for `grantee` (everyone if `None`), on `categories` for `purposes`. Returns
	/// the rule's id.
	pub async fn add_deny(
		&self,
		signer: &Keypair,
		patient: PatientId,
		grantee: Option<&Grantee<AccountId>>,
		categories: Categories,
		purposes: Purposes,
		wait: Wait,
	) -> Result<(DenyId, Submitted), Error> {
		let grantee = grantee.map(convert).transpose()?;
		let call = runtime::tx().consent().add_deny(
			patient,
			grantee,
			convert(&categories)?,
			convert(&purposes)?,
		);
		let submitted = self.submit(&call, signer, wait).await?;
		let added = submitted.event::<runtime::consent::events::DenyAdded>()?;
		Ok((added.deny_id, submitted))
	}

	/// `consent.remove_deny`, signed by the patient (or a guardian).
	pub async fn remove_deny(
		&self,
		signer: &Keypair,
		patient: PatientId,
		deny: DenyId,
		wait: Wait,
	) -> Result<Submitted, Error> {
		self.submit(&runtime::tx().consent().remove_deny(patient, deny), signer, wait)
			.await
	}

	/// Every grant `patient` gave that is still in state (in force, ended or revoked but not yet
	/// cleaned up), by id, at the best block: the grants-by-grantee index of the patient, then
	/// each grant. Reads O(grantees + grants) storage items.
	pub async fn grants_of(&self, patient: PatientId) -> Result<Vec<GrantRecord>, Error> {
		let at = self.api().at_block(self.best_hash().await?).await?;
		let index = at.storage().entry(runtime::storage().consent().grants_by_grantee())?;
		let mut ids = Vec::new();
		let mut entries = index.iter((patient,)).await?;
		while let Some(entry) = entries.next().await {
			ids.extend(entry?.value().decode()?.0);
		}
		// A revoked grant leaves the index at once but stays in state until cleanup: the
		// patient's trail names every grant ever given (read where the node still has the
		// blocks; a pruned node gives the index's alone).
		if let Ok((export, _)) = self
			.export_trail(patient, at.block_hash(), crate::audit::Unlinked::Refuse, |_, _| {})
			.await
		{
			for exported in export.entries {
				let event = exported.entry.event;
				if let (
					medchain_primitives::AuditAction::ConsentGranted,
					Some(medchain_primitives::ConsentRef::Grant(id)),
				) = (event.action, event.consent)
				{
					ids.push(id);
				}
			}
		}
		ids.sort_unstable();
		ids.dedup();
		let grants = at.storage().entry(runtime::storage().consent().grants())?;
		let mut records = Vec::with_capacity(ids.len());
		for id in ids {
			let Some(grant) = grants.try_fetch((id,)).await? else { continue };
			let grant = grant.decode()?;
			records.push(GrantRecord {
				id,
				patient: grant.patient,
				terms: convert(&grant.terms)?,
				granted_by: grant.granted_by,
				revoked: grant.revoked_at.is_some(),
			});
		}
		Ok(records)
	}
}

/// A record anchor as it stands in state (its locator left out: it means something only to the
/// author's store).
pub type AnchorRecord = medchain_primitives::export::AnchorRecord<AccountId>;

/// A grant as it stands in state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantRecord {
	pub id: GrantId,
	pub patient: PatientId,
	pub terms: GrantTerms<AccountId>,
	pub granted_by: AccountId,
	pub revoked: bool,
}

/// [`Error::TooMany`] if a list of `given` items is longer than the runtime's `max` for `call`.
fn within(call: &'static str, given: usize, max: u32) -> Result<(), Error> {
	if given > max as usize {
		return Err(Error::TooMany { call, max, given });
	}
	Ok(())
}
